using Ledger.Bench.RawSql;
using Ledger.Bench.Seeding;
using Ledger.Core.Timeline;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    /// <summary>Runs of each side for a timeline page: pages take about a millisecond, so many, to steady the median.</summary>
    private const int PageRuns = 31;

    private async Task TimelineAsync(LedgerStore store, string cs, CancellationToken ct)
    {
        var min = (await store.TimelineAsync(new TimelineQuery { FromOldest = true, Limit = 1 }, ct))[0].Seq;
        var max = await store.Stats.MaxSeqAsync(ct);
        var deep = min + ((max - min) / 10); // a page 90% of the way back
        var cases = new (string Name, TimelineQuery Query, Baselines.Filter Raw)[]
        {
            ("kind config-edit", new TimelineQuery { Kinds = ["config-edit"] }, Baselines.Filter.Kind("config-edit")),
            ("host bench-02", new TimelineQuery { Host = "bench-02" }, Baselines.Filter.Host("bench-02")),
            ($"text '{SeedPlan.SearchWord}'", new TimelineQuery { Grep = SeedPlan.SearchWord }, Baselines.Filter.Text(SeedPlan.SearchWord)),
        };

        await using var raw = await Baselines.OpenAsync(cs, ct);
        foreach (var (name, query, filter) in cases)
        {
            foreach (var (page, before) in new[] { ("first page", (long?)null), ("deep page", deep) })
            {
                var q = query with { BeforeSeq = before, Limit = 50 };
                int ourCount = 0, rawCount = 0;
                var (ours, rawTime) = await PairedMediansAsync(
                    async () => ourCount = (await store.TimelineAsync(q, ct)).Count,
                    async () => rawCount = await raw.TimelinePageAsync(filter, before, ct),
                    PageRuns);
                var same = ourCount == rawCount ? "" : $" (rows differ: {ourCount} vs {rawCount})";
                Row($"timeline at {_o.Events:N0} events, {name}, {page}{same}", Ms(ours), $"raw SQL: {Ms(rawTime)}", ours / rawTime, "<= 1.5x and < 50 ms", r => r <= 1.5 && ours < 0.050 && same.Length == 0);
            }
        }
    }
}
