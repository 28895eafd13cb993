namespace Ledger.Core.Nix;

/// <summary>
/// One package whose versions or size changed between two system generations, as
/// <c>nix store diff-closures</c> says it. <paramref name="OldVersions"/> is empty when the package
/// was added, <paramref name="NewVersions"/> when it was removed; both are empty when only its
/// size changed. An empty version string (nix's <c>ε</c>) is <c>""</c>. Only the versions that
/// changed are listed (others may exist on both sides). <paramref name="SizeDeltaBytes"/> is null
/// when nix did not show it (under 8 KiB).
/// </summary>
public sealed record PackageChange(string Name, IReadOnlyList<string> OldVersions, IReadOnlyList<string> NewVersions, long? SizeDeltaBytes)
{
    /// <summary>"jellyfin 10.9.11 → 10.10.3", "+radarr 5.14.0", "-sonarr 4.0.9", "zstd +20.0 KiB".</summary>
    public string Phrase => (OldVersions.Count, NewVersions.Count) switch
    {
        (0, 0) => $"{Name} {Size(SizeDeltaBytes)}",
        (0, _) => $"+{Name} {Versions(NewVersions)}",
        (_, 0) => $"-{Name} {Versions(OldVersions)}",
        _ => $"{Name} {Versions(OldVersions)} → {Versions(NewVersions)}",
    };

    /// <summary>The versions changed (not just the size).</summary>
    public bool VersionsChanged => OldVersions.Count > 0 || NewVersions.Count > 0;

    private static string Versions(IReadOnlyList<string> versions) => string.Join(", ", versions.Select(v => v.Length == 0 ? "ε" : v));

    private static string Size(long? bytes) =>
        bytes is { } b ? $"{(b >= 0 ? "+" : "-")}{(Math.Abs(b) / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} KiB" : "size changed";
}
