using Ledger.App.Analysis;
using Ledger.Bench.RawSql;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    /// <summary>Runs of each side of the analysis: tens of milliseconds each, so a handful steadies the median.</summary>
    private const int WhyRuns = 11;

    /// <summary><c>ledger why</c> on the newest alert of a host against the raw SQL that fetches the window it looks at.</summary>
    private async Task WhyAsync(LedgerStore store, string cs, CancellationToken ct)
    {
        const string Host = "bench-02";
        var alert = (await store.TimelineAsync(new TimelineQuery { Host = Host, Kinds = ["alert"], Limit = 10 }, ct)).First(e => e.Data is AlertFired);
        var subject = IncidentAnalysis.SubjectOf(alert);
        var window = IncidentAnalysis.DefaultWindow;
        await using var raw = await Baselines.OpenAsync(cs, ct);
        int suspects = 0, rows = 0;
        var (ours, rawTime) = await PairedMediansAsync(
            async () => suspects = (await IncidentAnalysis.ForEventAsync(store, alert.Seq, null, window, IncidentAnalysis.DefaultLimit, ct)).Suspects.Count,
            async () => rows = await raw.WindowAsync(Host, subject.Time - window, subject.Time, ct),
            WhyRuns);
        Row($"why (ledger why) at {_o.Events:N0} events: an alert, {window.TotalHours:0} h window of {rows:N0} events, {suspects} suspects", Ms(ours), $"raw SQL of the window: {Ms(rawTime)}", ours / rawTime, "<= 1.5x and < 100 ms", r => r <= 1.5 && ours < 0.100);
    }
}
