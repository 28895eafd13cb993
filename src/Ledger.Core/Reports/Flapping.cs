namespace Ledger.Core.Reports;

/// <summary>
/// Flapping alerts: fired and resolved again and again within a short window, which usually
/// means a threshold is too tight (a likely false positive) rather than a real incident.
/// </summary>
public static class Flapping
{
    /// <summary>The default window: three or more fire-resolve cycles within one hour.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    public const int DefaultMinCycles = 3;

    /// <summary>
    /// The alerts (by name) with at least <paramref name="minCycles"/> fire-then-resolve cycles of one
    /// fingerprint whose firings all fall within <paramref name="window"/>, with the largest number of
    /// cycles seen in one window. Transitions may come in any order; they are sorted by time.
    /// </summary>
    public static IReadOnlyList<FlappingAlert> Detect(IEnumerable<AlertTransition> transitions, TimeSpan window, int minCycles = DefaultMinCycles)
    {
        var worst = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in transitions.GroupBy(t => (t.Fingerprint, t.AlertName)))
        {
            // A cycle is a firing followed by its resolve; repeated firings without a resolve are one.
            var cycleStarts = new List<DateTimeOffset>();
            DateTimeOffset? open = null;
            foreach (var t in group.OrderBy(t => t.At).ThenBy(t => t.Firing ? 0 : 1))
            {
                if (t.Firing)
                {
                    open ??= t.At;
                }
                else if (open is { } start)
                {
                    cycleStarts.Add(start);
                    open = null;
                }
            }

            int best = 0;
            for (int i = 0, j = 0; j < cycleStarts.Count; j++)
            {
                while (cycleStarts[j] - cycleStarts[i] > window)
                {
                    i++;
                }

                best = Math.Max(best, j - i + 1);
            }

            if (best >= minCycles)
            {
                var name = group.Key.AlertName;
                worst[name] = Math.Max(worst.GetValueOrDefault(name), best);
            }
        }

        return worst.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FlappingAlert(kv.Key, kv.Value)).ToArray();
    }
}
