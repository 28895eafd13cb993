using System.Diagnostics;
using System.Globalization;
using Ledger.Bench.Seeding;
using Ledger.Store;
using Npgsql;

namespace Ledger.Bench.Workloads;

/// <summary>
/// Every workload of the benchmark, each next to a baseline measured in the same run on the same
/// server: our figure, the baseline's, the ratio and the target. Prints a Markdown table. One
/// file per workload (<c>BenchRunner.Hook.cs</c>, ...).
/// </summary>
internal sealed partial class BenchRunner
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The workloads that need the seeded million events.</summary>
    private static readonly string[] LargeDataset = ["timeline", "report", "why", "tui"];

    private readonly BenchContext _ctx;
    private readonly string _server;
    private readonly BenchOptions _o;
    private readonly List<string> _rows = [];

    public BenchRunner(BenchContext ctx, string server, BenchOptions options)
    {
        _ctx = ctx;
        _server = server;
        _o = options;
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var failed = 0;
        await Say($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; server {Describe(_server)}");
        _rows.Add("| workload | ledger | baseline (same run) | ratio | target | met |");
        _rows.Add("|---|---|---|---|---|---|");

        if (_o.Includes("hook"))
        {
            await using var scratch = await ScratchDatabase.CreateAsync(_server, "ledger_bench_hook", ct);
            failed += await Guard("hook", () => HookAsync(scratch.ConnectionString, ct));
        }

        if (_o.Includes("import"))
        {
            await using var scratch = await ScratchDatabase.CreateAsync(_server, "ledger_bench_import", ct);
            failed += await Guard("import", () => ImportAndDocsAsync(scratch.ConnectionString, ct));
        }

        if (_o.Includes("real"))
        {
            failed += await Guard("real", () => RealHistoriesAsync(ct));
        }

        if (_o.Includes("append"))
        {
            await using var scratch = await ScratchDatabase.CreateAsync(_server, "ledger_bench_append", ct);
            failed += await Guard("append", () => AppendAsync(scratch.ConnectionString, ct));
        }

        if (LargeDataset.Any(_o.Includes))
        {
            await using var scratch = await ScratchDatabase.CreateAsync(_server, "ledger_bench_big", ct);
            await Say($"seeding {_o.Events:N0} events over {_o.Days} days on {_o.Hosts} hosts ...");
            var seed = await BenchSeeder.SeedAsync(scratch.ConnectionString, _o.Events, _o.Hosts, _o.Days, DateTimeOffset.UtcNow, null, ct);
            await Say($"seeded in {seed.Elapsed.TotalSeconds:0.0} s ({seed.Events / seed.Elapsed.TotalSeconds:N0} events/s, {seed.Streams:N0} streams)");
            await using var store = await LedgerStore.OpenAsync(scratch.ConnectionString, ct);
            var indexing = Stopwatch.StartNew();
            var indexed = await store.CatchUpTextIndexAsync(ct);
            await Say($"indexed {indexed:N0} events for text search in {indexing.Elapsed.TotalSeconds:0.0} s (what the daemon does as events arrive)");
            failed += await Guard("timeline", () => TimelineAsync(store, scratch.ConnectionString, ct));
            failed += await Guard("report", () => ReportAsync(store, scratch.ConnectionString, seed, ct));
            failed += await Guard("why", () => WhyAsync(store, scratch.ConnectionString, ct));
            failed += await Guard("tui", () => TuiAsync(store, scratch.ConnectionString, ct));
        }

        failed += await Guard("gpu", () => GpuAsync(ct));

        await _ctx.Out.WriteLineAsync();
        foreach (var row in _rows)
        {
            await _ctx.Out.WriteLineAsync(row);
        }

        return failed;
    }

    private async Task<int> Guard(string name, Func<Task> workload)
    {
        if (!_o.Includes(name))
        {
            return 0;
        }

        try
        {
            await Say($"running {name} ...");
            await workload();
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _rows.Add($"| {name} | failed: {e.Message.ReplaceLineEndings(" ")} | | | | no |");
            return 1;
        }
    }

    private void Row(string workload, string ours, string baseline, double? ratio, string target, Func<double, bool>? met)
    {
        var verdict = met is null ? "n/a" : met(ratio ?? 0) ? "yes" : "**no**";
        _rows.Add($"| {workload} | {ours} | {baseline} | {(ratio is { } r ? r.ToString("0.00", Inv) + "x" : "—")} | {target} | {verdict} |");
    }

    private Task Say(string line) => _ctx.Err.WriteLineAsync(line);

    /// <summary>The median of as many runs as asked (--runs, at least 5) or of <paramref name="runs"/>, after one warm run.</summary>
    private Task<double> MedianOfAsync(Func<Task> work, int runs = 0) => Measure.MedianOfAsync(work, runs > 0 ? runs : Math.Max(5, _o.Runs));

    private static string Describe(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return $"{b.Host}{(b.Port != 5432 ? ":" + b.Port : "")}";
    }
}
