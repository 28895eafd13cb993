namespace Ledger.Core.Nix;

/// <summary>
/// What a switch did to the system: the generation before and after, the packages whose versions
/// or sizes changed between them (<see cref="ClosureDiff"/>; empty when the generation stayed),
/// what <c>nixos-version --json</c> says of the new one, and why any of it could not be read.
/// </summary>
public sealed record SystemChange(
    int? FromGeneration,
    int? ToGeneration,
    IReadOnlyList<PackageChange>? PackageChanges,
    NixosVersionInfo? Version,
    string? Problem)
{
    /// <summary>The first few package phrases and how many more: "jellyfin 10.9.11 → 10.10.3, +radarr 5.14.0 and 7 more packages".</summary>
    public static string Summary(IReadOnlyList<PackageChange>? changes, int shown = 2)
    {
        var versioned = (changes ?? []).Where(c => c.VersionsChanged).ToArray();
        if (versioned.Length == 0)
        {
            return "";
        }

        var text = string.Join(", ", versioned.Take(shown).Select(c => c.Phrase));
        var more = versioned.Length - shown;
        return more > 0 ? $"{text} and {more} more package{(more == 1 ? "" : "s")}" : text;
    }
}
