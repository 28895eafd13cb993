using System.Globalization;

namespace Ledger.Core.Nix;

/// <summary>
/// How one flake input moved over a period: how many commits moved it, how far its source went
/// in days (the sum of each update's distance, backwards moves subtracting), the ref it tracked
/// first and last (a channel switch), and when it last moved.
/// </summary>
public sealed record InputMovement(string Input, int Updates, int Days, string? FirstRef, string? LastRef, DateTimeOffset LastAt, string LastChange)
{
    /// <summary>"+42 days", "-3 days", or "n/a" when no update had dates on both sides.</summary>
    public string DaysText => Updates == 0 || (Days == 0 && !Dated) ? "n/a" : $"{(Days >= 0 ? "+" : "")}{Days.ToString(CultureInfo.InvariantCulture)} day{(Math.Abs(Days) == 1 ? "" : "s")}";

    /// <summary>"nixos-24.05 → nixos-24.11" when the ref changed, else the ref, else "-".</summary>
    public string RefText => FirstRef != LastRef ? $"{FirstRef ?? "-"} → {LastRef ?? "-"}" : LastRef ?? "-";

    private bool Dated { get; init; }

    /// <summary>One row per input that moved, in name order, from the changes in time order.</summary>
    public static IReadOnlyList<InputMovement> Of(IEnumerable<(DateTimeOffset At, FlakeInputChange Change)> changes)
    {
        var rows = new SortedDictionary<string, InputMovement>(StringComparer.Ordinal);
        foreach (var (at, c) in changes.OrderBy(x => x.At))
        {
            var days = FlakeInputText.Days(c);
            var newRef = c.Change == "removed" ? null : c.NewRef;
            rows[c.Input] = rows.TryGetValue(c.Input, out var row)
                ? row with { Updates = row.Updates + 1, Days = row.Days + (days ?? 0), LastRef = newRef, LastAt = at, LastChange = c.Change, Dated = row.Dated || days is not null }
                : new InputMovement(c.Input, 1, days ?? 0, c.Change == "added" ? null : c.OldRef, newRef, at, c.Change) { Dated = days is not null };
        }

        return rows.Values.ToArray();
    }
}
