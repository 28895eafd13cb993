namespace Ledger.Core.Reports;

/// <summary>
/// Pairs an alert's firings with its resolutions, per Alertmanager fingerprint in time order, so
/// that every count of the report (fired, resolved, open, time to resolve) comes from one model.
/// </summary>
/// <remarks>
/// Ledger stores a firing and its resolution in separate streams (one per notification state, so
/// repeats collide), and Alertmanager may send "resolved" again, or for a firing recorded in an
/// earlier period. A resolution ends every occurrence of its fingerprint still firing: the alert is
/// no longer firing, whatever was missed in between. A resolution that finds nothing firing is a
/// repeat and ends nothing.
/// </remarks>
public static class AlertOccurrences
{
    /// <summary>
    /// The occurrences of a period from the firings still open at its start
    /// (<paramref name="openAtStart"/>) and its transitions, in any order (they are sorted by time,
    /// a firing before a resolution at the same instant, then by sequence number).
    /// </summary>
    public static AlertPairing Pair(IEnumerable<AlertTransition> openAtStart, IEnumerable<AlertTransition> transitions)
    {
        var firing = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var all = new List<AlertOccurrence>();
        var fromBefore = new HashSet<int>();
        foreach (var t in openAtStart.Where(t => t.Firing).OrderBy(t => t.At).ThenBy(t => t.Seq))
        {
            fromBefore.Add(Start(all, firing, t));
        }

        int repeated = 0;
        foreach (var t in transitions.OrderBy(t => t.At).ThenBy(t => t.Firing ? 0 : 1).ThenBy(t => t.Seq))
        {
            if (t.Firing)
            {
                Start(all, firing, t);
            }
            else if (firing.Remove(t.Fingerprint, out var open))
            {
                foreach (var i in open)
                {
                    all[i] = all[i] with { ResolvedAt = t.At };
                }
            }
            else
            {
                repeated++;
            }
        }

        return new AlertPairing(
            all.Where((_, i) => !fromBefore.Contains(i)).ToArray(),
            all.Where((o, i) => fromBefore.Contains(i) && !o.Open).ToArray(),
            repeated,
            all.Where(o => o.Open).OrderBy(o => o.FiredAt).ThenBy(o => o.FiredSeq).ToArray());
    }

    private static int Start(List<AlertOccurrence> all, Dictionary<string, List<int>> firing, AlertTransition t)
    {
        all.Add(new AlertOccurrence(t.Fingerprint, t.AlertName, t.Severity, t.At, t.Seq, null));
        if (!firing.TryGetValue(t.Fingerprint, out var open))
        {
            firing[t.Fingerprint] = open = [];
        }

        open.Add(all.Count - 1);
        return all.Count - 1;
    }
}
