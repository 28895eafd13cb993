using Ledger.Bench.RawSql;
using Ledger.Bench.Seeding;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    private async Task AppendAsync(string cs, CancellationToken ct)
    {
        const int n = 20_000;
        await using var store = await LedgerStore.OpenAsync(cs, ct);
        var plan = SeedPlan.Plan(n, SeedPlan.HostNames(2), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, 1)
            .Select(p => p with { StreamKey = $"{p.StreamKey}:{p.Seq}", Version = 1 })
            .ToList();
        var events = plan.Select(p => new NewEvent(p.StreamKey, SeedPlan.Build(p), p.At)).ToList();

        await using var raw = await Baselines.OpenAsync(cs, ct);
        await raw.CreateEventsLookalikeAsync(ct);
        var copy = await TimeAsync(() => raw.CopyIntoEventsLookalikeAsync(plan.Zip(events, (p, e) => (p.Seq, p.StreamKey, p.At, e.Event)), ct));
        var ours = await TimeAsync(() => store.StartStreamsAsync(events, 500, null, ct));
        var (ourRate, copyRate) = (n / ours, n / copy);
        Row($"sustained batched append, {n:N0} events in batches of 500", $"{ourRate:N0} events/s", $"binary COPY: {copyRate:N0} events/s", ourRate / copyRate, ">= 0.3x", r => r >= 0.3);
    }
}
