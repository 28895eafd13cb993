using Ledger.App.Rendering;
using Ledger.App.Reports;
using Ledger.Bench.RawSql;
using Ledger.Bench.Seeding;
using Ledger.Core.Reports;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    private async Task ReportAsync(LedgerStore store, string cs, BenchSeeder.SeedResult seed, CancellationToken ct)
    {
        // The last whole month of the seeded period (or the month of its end when it spans less).
        var end = seed.To.AddDays(-seed.To.Day + 1).Date;
        var month = seed.From < new DateTimeOffset(end.AddMonths(-1), TimeSpan.Zero) ? new ReportMonth(end.AddMonths(-1).Year, end.AddMonths(-1).Month) : new ReportMonth(seed.To.Year, seed.To.Month);
        var (from, to) = (new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1));
        var templates = new Templates(null);
        long ourEdits = 0;
        var ours = await MedianOfAsync(async () =>
        {
            var model = await MonthlyReportBuilder.BuildAsync(store, "bench-01", month, TimeZoneInfo.Utc, ".", false, ct);
            _ = ReportRenderer.Render(templates, model, "md");
            ourEdits = (await store.Monthly.CountsAsync("bench-01", from, to, ct)).Changes;
        }, runs: 3);

        await using var baselines = await Baselines.OpenAsync(cs, ct);
        long rawEdits = 0;
        var raw = await MedianOfAsync(async () => rawEdits = await baselines.MonthlyReportAsync("bench-01", from, to, ct), runs: 3);
        var same = ourEdits == rawEdits ? "" : $" (config edits differ: {ourEdits} vs {rawEdits})";
        Row($"monthly report of bench-01 for {month} over {_o.Events:N0} events{same}", Ms(ours), $"raw SQL, same numbers: {Ms(raw)}", ours / raw, "<= 2.0x", r => r <= 2.0 && same.Length == 0);
    }
}
