using System.Text.Json;
using Ledger.Core.Errors;
using Ledger.Core.Nix;

namespace Ledger.App.Settings;

/// <summary>The admin's own host directories, read once per process before any commit is read.</summary>
internal static class HostSettings
{
    private const string Shape = "{\"hosts\": {\"NAME\": [\"hosts/NAME/\", \"extra/NAME.nix\"], ...}}";

    /// <summary>
    /// Uses the host directories in $LEDGER_HOME/hosts.json, when it exists, instead of the layout
    /// found in the repository: each host with its directories (ending in <c>/</c>) and files.
    /// </summary>
    public static void Apply(string home)
    {
        var file = Path.Combine(home, "hosts.json");
        if (!File.Exists(file))
        {
            HostDirectories.Configure(null);
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            if (!doc.RootElement.TryGetProperty("hosts", out var hosts) || hosts.ValueKind != JsonValueKind.Object)
            {
                throw new LedgerException($"{file} must look like {Shape}.");
            }

            var entries = new List<(string Host, string Path)>();
            foreach (var host in hosts.EnumerateObject())
            {
                if (host.Name.Length == 0 || host.Value.ValueKind != JsonValueKind.Array || host.Value.GetArrayLength() == 0
                    || host.Value.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.GetString()) || p.GetString()!.StartsWith('/')))
                {
                    throw new LedgerException($"{file}: host '{host.Name}' needs a list of paths relative to the repository's top, such as [\"hosts/{host.Name}/\"]. It must look like {Shape}.");
                }

                entries.AddRange(host.Value.EnumerateArray().Select(p => (host.Name, p.GetString()!.Trim())));
            }

            HostDirectories.Configure(new HostLayout(entries));
        }
        catch (JsonException e)
        {
            throw new LedgerException($"{file} is not valid JSON: {e.Message}");
        }
    }
}
