using System.Text.Json;
using Ledger.Capture.Host;
using Ledger.Core.Errors;

namespace Ledger.App.Snapshots;

/// <summary>
/// The mounts to watch: --mount arguments, else $LEDGER_HOME/storage.json
/// (<c>{"mounts": [{"path": "/", "tier": "hot"}, {"path": "/mnt/cold", "tier": "cold"}]}</c>), else "/".
/// </summary>
internal static class StorageConfig
{
    public static IReadOnlyList<MountSpec> Resolve(IReadOnlyList<string> arguments, string home)
    {
        if (arguments.Count > 0)
        {
            return arguments.Select(StorageReader.ParseMountArgument).ToArray();
        }

        var file = Path.Combine(home, "storage.json");
        return File.Exists(file) ? Parse(File.ReadAllText(file), file) : [new MountSpec("/", null)];
    }

    public static IReadOnlyList<MountSpec> Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("mounts", out var mounts) || mounts.ValueKind != JsonValueKind.Array)
            {
                throw new LedgerException($"{source}: expected {{\"mounts\": [{{\"path\": \"/\", \"tier\": \"hot\"}}, ...]}}.");
            }

            var result = new List<MountSpec>();
            int i = 0;
            foreach (var m in mounts.EnumerateArray())
            {
                i++;
                if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String)
                {
                    throw new LedgerException($"{source}: mount #{i} needs a \"path\" string.");
                }

                string? tier = m.TryGetProperty("tier", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                result.Add(new MountSpec(path.GetString()!, tier));
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new LedgerException($"{source} is not valid JSON: {e.Message}");
        }
    }
}
