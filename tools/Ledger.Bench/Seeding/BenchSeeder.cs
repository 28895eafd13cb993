using System.Diagnostics;
using Ledger.Bench.RawSql;
using Ledger.Core.Errors;
using Ledger.Store;

namespace Ledger.Bench.Seeding;

/// <summary>
/// Writes a realistic ledger fast, for benchmarks: the events of <see cref="SeedPlan"/> over the
/// last <c>days</c> days, by binary COPY (<see cref="MartenRows"/>).
/// </summary>
internal static class BenchSeeder
{
    public sealed record SeedResult(long Events, int Streams, DateTimeOffset From, DateTimeOffset To, TimeSpan Elapsed);

    public static async Task<SeedResult> SeedAsync(string connectionString, long events, int hosts, int days, DateTimeOffset end, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        if (events < 1 || hosts < 1 || days < 1)
        {
            throw new LedgerException("ledger-bench seed needs --events, --hosts and --days of at least 1.", ExitCodes.UsageOrEnvironment);
        }

        var sw = Stopwatch.StartNew();
        await (await LedgerStore.OpenAsync(connectionString, ct)).DisposeAsync(); // creates the schema when new

        await using var rows = await MartenRows.BeginAsync(connectionString, ct);
        if (await rows.HoldBenchmarkDataAsync(ct))
        {
            throw new LedgerException("This database already holds benchmark data (hosts bench-NN); seed a new or scratch database (ledger-bench run makes its own).", ExitCodes.UsageOrEnvironment);
        }

        var firstSeq = await rows.NextSeqAsync(ct);
        var from = end.AddDays(-days);
        var names = SeedPlan.HostNames(hosts);

        // Streams first (events refer to them), from a first pass over the plan that serialises nothing.
        var streams = new Dictionary<string, (long Version, DateTimeOffset First)>(StringComparer.Ordinal);
        foreach (var p in SeedPlan.Plan(events, names, from, end, firstSeq))
        {
            streams[p.StreamKey] = (p.Version, streams.TryGetValue(p.StreamKey, out var known) ? known.First : p.At);
        }

        await rows.CopyStreamsAsync(streams.Select(s => (s.Key, s.Value.Version, s.Value.First)), ct);
        await rows.CopyEventsAsync(SeedPlan.Plan(events, names, from, end, firstSeq).Select(p => (p.Seq, p.StreamKey, p.Version, p.At, SeedPlan.Build(p))), progress, ct);
        await rows.CommitAsync(firstSeq + events - 1, ct);
        return new SeedResult(events, streams.Count, from, end, sw.Elapsed);
    }
}
