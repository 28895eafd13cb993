using System.Text.Json;

namespace Ledger.Core.Nix;

/// <summary>
/// What <c>nixos-version --json</c> says about a system: <c>nixosVersion</c> (<c>24.11.20241120.1234567</c>),
/// <c>nixpkgsRevision</c>, and <c>configurationRevision</c>, the config commit it was built from
/// when the flake sets <c>system.configurationRevision</c> (null otherwise).
/// </summary>
public sealed record NixosVersionInfo(string? NixosVersion, string? NixpkgsRevision, string? ConfigurationRevision)
{
    /// <summary>The fields of the JSON object, or a reason when it is not one.</summary>
    public static (NixosVersionInfo? Info, string? Problem) Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "nixos-version --json did not print a JSON object");
            }

            string? Text(string name) =>
                doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
            return (new NixosVersionInfo(Text("nixosVersion"), Text("nixpkgsRevision"), Text("configurationRevision")), null);
        }
        catch (JsonException e)
        {
            return (null, $"nixos-version --json did not print JSON ({e.Message})");
        }
    }
}
