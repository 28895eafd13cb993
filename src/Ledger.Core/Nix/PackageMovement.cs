namespace Ledger.Core.Nix;

/// <summary>
/// How one package's versions moved over a period of switches: how many switches changed them,
/// the versions it had before the first (empty: it was added) and after the last (empty: removed).
/// </summary>
public sealed record PackageMovement(string Name, int Switches, IReadOnlyList<string> From, IReadOnlyList<string> To, DateTimeOffset LastAt)
{
    /// <summary>"10.9.11 → 10.10.3", "∅ → 5.14.0" (added), "4.0.9 → ∅" (removed).</summary>
    public string Text => $"{Versions(From)} → {Versions(To)}";

    /// <summary>One row per package whose versions changed, in name order, from the switches in time order (size-only changes are left out).</summary>
    public static IReadOnlyList<PackageMovement> Of(IEnumerable<(DateTimeOffset At, PackageChange Change)> changes)
    {
        var rows = new SortedDictionary<string, PackageMovement>(StringComparer.Ordinal);
        foreach (var (at, c) in changes.Where(x => x.Change.VersionsChanged).OrderBy(x => x.At))
        {
            rows[c.Name] = rows.TryGetValue(c.Name, out var row)
                ? row with { Switches = row.Switches + 1, To = c.NewVersions, LastAt = at }
                : new PackageMovement(c.Name, 1, c.OldVersions, c.NewVersions, at);
        }

        return rows.Values.ToArray();
    }

    private static string Versions(IReadOnlyList<string> versions) =>
        versions.Count == 0 ? "∅" : string.Join(", ", versions.Select(v => v.Length == 0 ? "ε" : v));
}
