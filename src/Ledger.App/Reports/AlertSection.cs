using System.Globalization;
using Ledger.App.Analysis;
using Ledger.App.ChangeDocs;
using Ledger.Core.Reports;
using Ledger.Store;

namespace Ledger.App.Reports;

/// <summary>
/// The report's alerts section from one pairing of firings and resolutions
/// (<see cref="AlertOccurrences"/>): the per-name table, the open list and the checklist's count
/// all come from it, so they cannot disagree.
/// </summary>
internal static class AlertSection
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<ReportAlerts> BuildAsync(LedgerStore store, AlertPairing pairing, IReadOnlyList<FlappingAlert> flapping, IReadOnlyList<double?> perDay, TimeZoneInfo zone, CancellationToken ct)
    {
        var fired = pairing.Occurrences.Count;
        var rows = new List<ReportAlert>();
        foreach (var g in pairing.Occurrences.GroupBy(o => o.AlertName, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var mean = Percentile.Mean(g.Where(o => !o.Open).Select(o => o.SecondsToResolve!.Value));
            var row = new ReportAlert(g.Key, g.Count(), g.Count(o => !o.Open), g.Count(o => o.Open), MonthlyReportBuilder.Duration(mean), mean);
            var why = await IncidentAnalysis.ForEventAsync(store, g.Max(o => o.FiredSeq), null, IncidentAnalysis.DefaultWindow, 1, ct);
            if (why.Suspects is [var top, ..])
            {
                row = row with { TopSuspect = $"#{top.Seq} {top.Title}: {top.Reasons[0]}", TopSuspectSeq = top.Seq };
            }

            rows.Add(row);
        }

        // Grouped by name: a noisy alert left open on many targets is one line with its count.
        var ofThisMonth = pairing.Occurrences.ToHashSet();
        var open = pairing.Open
            .GroupBy(o => o.AlertName, StringComparer.Ordinal)
            .Select(g => new ReportOpenAlert(
                g.Key,
                string.Join(", ", g.Select(o => o.Severity ?? "-").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                g.Count(),
                Time(g.Min(o => o.FiredAt), zone),
                Time(g.Max(o => o.FiredAt), zone),
                g.Count(o => !ofThisMonth.Contains(o))))
            .OrderByDescending(o => o.Count).ThenBy(o => o.Name, StringComparer.Ordinal)
            .ToArray();

        return new ReportAlerts(
            fired,
            rows,
            flapping.Select(f => new ReportFlapping(f.AlertName, f.Cycles)).ToArray(),
            open,
            pairing.Open.Count,
            pairing.ResolvedFromBefore.Count,
            string.Join(", ", pairing.ResolvedFromBefore.Select(o => o.AlertName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            pairing.RepeatedResolutions,
            $"{Flapping.DefaultMinCycles} or more fire-and-resolve cycles of one alert within {Flapping.DefaultWindow.TotalMinutes.ToString(Inv)} minutes",
            fired == 0 ? "" : Sparkline.Render(perDay.Select(v => (double?)(v ?? 0)).ToArray(), 0));
    }

    private static string Time(DateTimeOffset at, TimeZoneInfo zone) => ChangeDocBuilder.LocalTime(at, zone);
}
