using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ledger.App.ChangeDocs;
using Ledger.App.Recording;
using Ledger.App.Rendering;
using Ledger.App.Reports;
using Ledger.Capture.Git;
using Ledger.Capture.Gpu;
using Ledger.Capture.Processes;
using Ledger.Cli.Serve;
using Ledger.Core.Events;
using Ledger.Core.Reports;
using Ledger.Core.Timeline;
using Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Cli.Bench;

/// <summary>
/// Every workload of the benchmark, each next to a baseline measured in the same run on the same
/// server: our figure, the baseline's, the ratio and the target. Prints a Markdown table.
/// </summary>
internal sealed class BenchRunner
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The workloads that need the seeded million events.</summary>
    private static readonly string[] LargeDataset = ["timeline", "report", "tui"];

    private readonly CliContext _ctx;
    private readonly string _server;
    private readonly BenchOptions _o;
    private readonly List<string> _rows = [];

    public BenchRunner(CliContext ctx, string server, BenchOptions options)
    {
        _ctx = ctx;
        _server = server;
        _o = options;
    }

    public sealed record BenchOptions(long Events, int Hosts, int Days, int Runs, string? Repo, int Commits, string Ledger, IReadOnlySet<string> Only)
    {
        /// <summary>The workloads, by the names --only takes.</summary>
        public static readonly string[] Workloads = ["hook", "import", "append", "timeline", "report", "tui", "gpu"];

        public bool Includes(string workload) => Only.Count == 0 || Only.Contains(workload);
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
            failed += await Guard("tui", () => TuiAsync(scratch.ConnectionString, ct));
        }

        failed += await Guard("gpu", () => GpuAsync(ct));

        await _ctx.Out.WriteLineAsync();
        foreach (var row in _rows)
        {
            await _ctx.Out.WriteLineAsync(row);
        }

        return failed;
    }

    // ---- workloads -------------------------------------------------------------------------

    private async Task HookAsync(string cs, CancellationToken ct)
    {
        // The hook as `ledger init --hooks` installs it, with `ledger serve` running (here in this
        // process, on a free port): the daemon records the commit before the hook returns. Next to
        // it, the hook's fallback without a daemon: the ledger command as a whole process.
        const string Host = "bench-hook";
        using var repo = new TempRepo();
        repo.Commit("initial");
        await using var store = await LedgerStore.OpenAsync(cs, ct); // creates the schema: not timed
        var log = new StringWriter();
        var settings = new ServeSettings
        {
            Repo = repo.Path,
            Intervals = new ServeIntervals { Gpu = 0, Containers = 0, System = 0, Storage = 0, Validate = 0, Seal = 0, Git = 0, Text = 0, Metrics = 0, Grafana = 0 },
        };
        await using var logger = ServeLogging.Create(settings, _ => null, TextWriter.Synchronized(log), verbose: false);
        var serve = new ServeContext(store, settings, Host, _ctx.Home, _ctx.Programs, new ServeMetrics(Host, TimeProvider.System), logger);
        await using var daemon = await ServeHost.StartAsync(serve, ListenAddress.Parse("127.0.0.1:0"), ct);
        await RunLedgerAsync(cs, ["init", "--repo", repo.Path, "--hooks", "--host", Host, "--daemon", daemon.Url.ToString()], ct);
        var hook = Path.Combine(repo.Path, ".git", "hooks", "post-commit");

        var psql = ProgramLocator.Find("psql", Environment.GetEnvironmentVariable("PATH") ?? "");
        if (psql is not null)
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync(ct);
            await BenchSeeder.Exec(conn, "create table bench_hook (id bigserial primary key, sha text not null, at timestamptz not null default now())", ct);
        }

        var viaDaemon = new List<double>();
        var command = new List<double>();
        var baseline = new List<double>();
        var runs = Math.Max(10, _o.Runs);
        for (int i = 0; i < runs; i++)
        {
            repo.Commit($"change {i}");
            viaDaemon.Add(await TimeAsync(() => RunAsync(hook, [], _ctx.Home, ct, repo.Path)));
            repo.Commit($"change {i} by the command");
            command.Add(await TimeAsync(() => RunLedgerAsync(cs, ["record", "commit", "--repo", repo.Path, "--host", Host], ct)));
            if (psql is not null)
            {
                baseline.Add(await TimeAsync(() => RunAsync(psql, [Libpq(cs), "-q", "-c", $"insert into bench_hook (sha) values ('{i:x40}')"], null, ct)));
            }
        }

        await daemon.StopAsync();
        var recorded = System.Text.RegularExpressions.Regex.Count(log.ToString(), "Recorded commit");
        if (recorded != runs)
        {
            throw new Core.Errors.LedgerException($"the daemon recorded {recorded} of the hook's {runs} commits; the others went through the hook's fallback. Its log:\n{log}");
        }

        string Baseline() => psql is null ? "psql not on PATH" : $"psql -c insert: {Ms(Median(baseline))}";
        double? Ratio(List<double> ours) => psql is null ? null : Median(ours) / Median(baseline);
        Row($"record one commit: the installed git hook, ledger serve running, median of {runs}", Ms(Median(viaDaemon)), Baseline(), Ratio(viaDaemon), "<= 2.0x", r => r <= 2.0);
        Row($"record one commit: `ledger record commit` as a whole process (the hook without a daemon), median of {runs}", Ms(Median(command)), Baseline(), Ratio(command), "— (fallback)", null);
    }

    private async Task ImportAndDocsAsync(string cs, CancellationToken ct)
    {
        using var generated = _o.Repo is null ? new TempDirectory() : null;
        var path = _o.Repo;
        if (path is null)
        {
            var script = FindUp("bench/make-nixos-history.py");
            var python = ProgramLocator.Find("python3", Environment.GetEnvironmentVariable("PATH") ?? "");
            if (script is null || python is null)
            {
                Row("import a history of >= 3,000 commits", "skipped", "needs --repo, or python3 and bench/make-nixos-history.py (run from the repository)", null, "<= 2.0x", null);
                return;
            }

            path = Path.Combine(generated!.Path, "history");
            await RunAsync(python, [script, path, _o.Commits.ToString(Inv)], null, ct);
        }

        var ours = new List<double>();
        var baseline = new List<double>();
        var commits = 0;
        for (int i = -1; i < _o.Runs; i++)
        {
            // Run -1 warms both sides (the page cache, this process's JIT) and is not counted.
            baseline.Add(await TimeAsync(() => RunAsync("git", ["-C", path, "log", "-p", "--stat"], null, ct)));
            await using var db = await ScratchDatabase.CreateAsync(_server, "ledger_bench_imp", ct);
            await using var s = await LedgerStore.OpenAsync(db.ConnectionString, ct);
            var took = await TimeAsync(async () =>
            {
                using var reader = GitHistoryReader.Open(path);
                commits = (await GitImport.RunAsync(s, reader, "bench", _ctx.Actor, null, ct)).Recorded;
            });
            if (i >= 0)
            {
                ours.Add(took);
            }
            else
            {
                baseline.Clear();
            }
        }

        Row($"import a history of {commits:N0} commits, median of {_o.Runs}", Sec(Median(ours)), $"git log -p --stat: {Sec(Median(baseline))}", Median(ours) / Median(baseline), "<= 2.0x", r => r <= 2.0);

        // Change docs of the same history, into a scratch store of its own, rendered and written.
        await using var store = await LedgerStore.OpenAsync(cs, ct);
        using (var reader = GitHistoryReader.Open(path))
        {
            await GitImport.RunAsync(store, reader, "bench", _ctx.Actor, null, ct);
        }

        using var outDir = new TempDirectory();
        var docs = 0;
        var seconds = await TimeAsync(async () =>
        {
            var files = await ChangeDocSet.RenderAsync(store, "bench", TimeZoneInfo.Utc, new Templates(null), ct);
            await GeneratedFiles.WriteAsync(outDir.Path, files, ct);
            docs = files.Count - 1;
        });
        Row($"change docs for {docs:N0} changes (render and write)", $"{docs / seconds:N0} docs/s ({Sec(seconds)})", "—", null, ">= 1,000 docs/s", _ => docs / seconds >= 1000);
    }

    private async Task AppendAsync(string cs, CancellationToken ct)
    {
        const int n = 20_000;
        await using var store = await LedgerStore.OpenAsync(cs, ct);
        var plan = BenchSeeder.Plan(n, BenchSeeder.HostNames(2), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, 1)
            .Select(p => p with { StreamKey = $"{p.StreamKey}:{p.Seq}", Version = 1 })
            .ToList();
        var events = plan.Select(p => new NewEvent(p.StreamKey, BenchSeeder.Build(p), p.At)).ToList();

        await using var conn = new NpgsqlConnection(ConnectionStrings.WithDefaults(cs));
        await conn.OpenAsync(ct);
        await BenchSeeder.Exec(conn, "create table bench_copy (like ledger.mt_events including all)", ct);
        var copy = await TimeAsync(async () =>
        {
            await using var w = await conn.BeginBinaryImportAsync(BenchSeeder.CopyEventsSql("bench_copy"), ct);
            foreach (var (p, e) in plan.Zip(events))
            {
                await BenchSeeder.WriteEventAsync(w, p.Seq, p.StreamKey, 1, p.At, e.Event, ct);
            }

            await w.CompleteAsync(ct);
        });
        var ours = await TimeAsync(() => store.StartStreamsAsync(events, 500, null, ct));
        var (ourRate, copyRate) = (n / ours, n / copy);
        Row($"sustained batched append, {n:N0} events in batches of 500", $"{ourRate:N0} events/s", $"binary COPY: {copyRate:N0} events/s", ourRate / copyRate, ">= 0.3x", r => r >= 0.3);
    }

    private async Task TimelineAsync(LedgerStore store, string cs, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionStrings.WithDefaults(cs));
        await conn.OpenAsync(ct);
        var (min, max) = ((long)(await BenchSeeder.Scalar(conn, "select min(seq_id) from ledger.mt_events", ct))!, (long)(await BenchSeeder.Scalar(conn, "select max(seq_id) from ledger.mt_events", ct))!);
        var deep = min + ((max - min) / 10); // a page 90% of the way back
        var cases = new (string Name, TimelineQuery Query, string Where, Action<NpgsqlCommand> Bind)[]
        {
            ("kind config-edit", new TimelineQuery { Kinds = ["config-edit"] }, "type = any(@types)",
                c => c.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = EventCatalogue.AliasesOfKind("config-edit").ToArray() })),
            ("host bench-02", new TimelineQuery { Host = "bench-02" }, "data->>'host' = @host", c => c.Parameters.AddWithValue("host", "bench-02")),
            ($"text '{BenchSeeder.SearchWord}'", new TimelineQuery { Grep = BenchSeeder.SearchWord }, $"type not in ({LedgerStore.SnapshotTypesSql}) and seq_id in (select seq_id from ledger.event_text where body like ledger.search_fold(@grep))", c => c.Parameters.AddWithValue("grep", $"%{BenchSeeder.SearchWord}%")),
        };

        foreach (var (name, query, where, bind) in cases)
        {
            foreach (var (page, before) in new[] { ("first page", (long?)null), ("deep page", deep) })
            {
                var q = query with { BeforeSeq = before, Limit = 50 };
                int ourCount = 0, rawCount = 0;
                var (ours, raw) = await PairedMediansAsync(
                    async () => ourCount = (await store.TimelineAsync(q, ct)).Count,
                    async () => rawCount = await RawPageAsync(conn, where, bind, before, ct),
                    PageRuns);
                var same = ourCount == rawCount ? "" : $" (rows differ: {ourCount} vs {rawCount})";
                Row($"timeline at {_o.Events:N0} events, {name}, {page}{same}", Ms(ours), $"raw SQL: {Ms(raw)}", ours / raw, "<= 1.5x and < 50 ms", r => r <= 1.5 && ours < 0.050 && same.Length == 0);
            }
        }
    }

    private static async Task<int> RawPageAsync(NpgsqlConnection conn, string where, Action<NpgsqlCommand> bind, long? before, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select seq_id, timestamp, type, stream_id, data::text from ledger.mt_events where is_archived = false and {where}{(before is null ? "" : " and seq_id < @before")} order by seq_id desc limit 50",
            conn);
        bind(cmd);
        if (before is { } b)
        {
            cmd.Parameters.AddWithValue("before", b);
        }

        var n = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            _ = reader.GetString(4);
            n++;
        }

        return n;
    }

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

        await using var conn = new NpgsqlConnection(ConnectionStrings.WithDefaults(cs));
        await conn.OpenAsync(ct);
        long rawEdits = 0;
        var raw = await MedianOfAsync(async () => rawEdits = await RawReportAsync(conn, from, to, ct), runs: 3);
        var same = ourEdits == rawEdits ? "" : $" (config edits differ: {ourEdits} vs {rawEdits})";
        Row($"monthly report of bench-01 for {month} over {_o.Events:N0} events{same}", Ms(ours), $"raw SQL, same numbers: {Ms(raw)}", ours / raw, "<= 2.0x", r => r <= 2.0 && same.Length == 0);
    }

    /// <summary>
    /// The report's numbers by plain SQL, one statement per section as a person at psql would write
    /// them: counts by type and outcome, checks, alerts, GPU and containers, storage.
    /// </summary>
    private static async Task<long> RawReportAsync(NpgsqlConnection conn, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        const string period = "from ledger.mt_events where data->>'host' = @h and timestamp >= @f and timestamp < @t";
        string[] sections =
        [
            $"select type, count(*), count(*) filter (where data->>'outcome' = 'succeeded') {period} group by type",
            $"select data->>'check', count(*), count(*) filter (where data->>'status' = 'pass'), count(*) filter (where data->>'status' = 'fail') {period} and type = 'validation_run' group by 1",
            $"select data->>'alertName', count(*) {period} and type in ('alert_fired', 'alert_resolved') group by 1, type",
            $"select g->>'uuid', avg((g->>'utilizationGpuPercent')::float8), max((g->>'temperatureC')::float8), max((g->>'memoryUsedMiB')::float8) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'gpus') g", StringComparison.Ordinal)} and type = 'gpu_snapshot_taken' group by 1",
            $"select c->>'name', count(*), max((c->>'restartCount')::int), count(*) filter (where c->>'health' = 'unhealthy') {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'containers') c", StringComparison.Ordinal)} and type = 'container_snapshot_taken' group by 1",
            $"select m->>'mount', max((m->>'usedBytes')::bigint), min((m->>'usedBytes')::bigint) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'mounts') m", StringComparison.Ordinal)} and type = 'storage_snapshot_taken' group by 1",
            // Unhealthy periods need each container's previous health; restarts count per container id.
            $"""
            select name, count(*), count(*) filter (where health = 'unhealthy' and prev is distinct from 'unhealthy'), max(restarts) - min(restarts), count(distinct id)
            from (select c->>'name' as name, c->>'id' as id, c->>'health' as health, (c->>'restartCount')::int as restarts,
                         lag(c->>'health') over (partition by c->>'name' order by seq_id) as prev
                  {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'containers') c", StringComparison.Ordinal)} and type = 'container_snapshot_taken') x
            group by name
            """,
            // Each change with the validation runs and deploys of its commit.
            $"""
            select e.data->>'sha', count(distinct v.seq_id), count(distinct v.seq_id) filter (where v.data->>'status' = 'pass'), count(distinct d.seq_id)
            from ledger.mt_events e
            left join ledger.mt_events v on v.type = 'validation_run' and v.data->>'host' = @h and v.data->>'configCommit' = e.data->>'sha'
            left join ledger.mt_events d on d.type = 'deploy_finished' and d.data->>'host' = @h and d.data->>'commit' = e.data->>'sha'
            where e.type = 'config_edited' and e.data->>'host' = @h and e.timestamp >= @f and e.timestamp < @t
            group by 1
            """,
            // The daily series of the charts: GPU utilisation, storage peaks, changes and alerts.
            $"select date_trunc('day', timestamp), avg((g->>'utilizationGpuPercent')::float8) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'gpus') g", StringComparison.Ordinal)} and type = 'gpu_snapshot_taken' group by 1",
            $"select m->>'mount', date_trunc('day', timestamp), max((m->>'usedBytes')::float8) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'mounts') m", StringComparison.Ordinal)} and type = 'storage_snapshot_taken' group by 1, 2",
            $"select type, date_trunc('day', timestamp), count(*) {period} and type in ('config_edited', 'alert_fired') group by 1, 2",
        ];
        long edits = 0;
        foreach (var sql in sections)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("h", "bench-01");
            cmd.Parameters.AddWithValue("f", from);
            cmd.Parameters.AddWithValue("t", to);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (sql == sections[0] && reader.GetString(0) == "config_edited")
                {
                    edits = reader.GetInt64(1);
                }
            }
        }

        return edits;
    }

    private async Task TuiAsync(string cs, CancellationToken ct)
    {
        var tmux = ProgramLocator.Find("tmux", Environment.GetEnvironmentVariable("PATH") ?? "");
        if (tmux is null)
        {
            Row($"TUI cold open to first painted page at {_o.Events:N0} events (tmux 80x24)", "skipped", "tmux not on PATH", null, "<= 1 s, peak RSS <= 200 MB", null);
            return;
        }

        using var home = new TempDirectory();
        var session = $"ledger-bench-{Environment.ProcessId}";
        var newest = await NewestSeqAsync(cs, "bench-01", ct);
        var (exe, first) = LedgerCommand();
        var args = new List<string> { "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-e", $"LEDGER_DB={cs}", "-e", $"LEDGER_HOME={home.Path}", "--", exe };
        args.AddRange(first);
        args.AddRange(["tui", "--host", "bench-01"]);
        var sw = Stopwatch.StartNew();
        await RunAsync(tmux, [.. args], null, ct);
        try
        {
            string screen = "";
            var painted = TimeSpan.Zero;
            while (sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                screen = await RunAsync(tmux, ["capture-pane", "-p", "-t", session], null, ct);
                if (screen.Contains(newest, StringComparison.Ordinal))
                {
                    painted = sw.Elapsed;
                    break;
                }

                await Task.Delay(5, ct);
            }

            var pid = int.Parse((await RunAsync(tmux, ["display-message", "-p", "-t", session, "#{pane_pid}"], null, ct)).Trim(), Inv);
            await Task.Delay(500, ct); // let it settle after painting, then read its peak
            var peakKb = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv)
                : 0;
            if (painted == TimeSpan.Zero)
            {
                Row($"TUI cold open at {_o.Events:N0} events (tmux 80x24)", "no first page within 30 s", screen.Split('\n').FirstOrDefault() ?? "", null, "<= 1 s, peak RSS <= 200 MB", _ => false);
                return;
            }

            Row($"TUI cold open to first painted page at {_o.Events:N0} events (tmux 80x24)", $"{Sec(painted.TotalSeconds)}, peak RSS {peakKb / 1024} MB", "—", null, "<= 1 s, peak RSS <= 200 MB", _ => painted.TotalSeconds <= 1 && peakKb <= 200 * 1024);
        }
        finally
        {
            try
            {
                await RunAsync(tmux, ["kill-session", "-t", session], null, CancellationToken.None);
            }
            catch (Core.Errors.LedgerException)
            {
            }
        }
    }

    /// <summary>The newest event's sequence number on a host, as the timeline's first row shows it.</summary>
    private static async Task<string> NewestSeqAsync(string cs, string host, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionStrings.WithDefaults(cs));
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("select max(seq_id) from ledger.mt_events where data->>'host' = $1", conn);
        cmd.Parameters.AddWithValue(host);
        return ((long)(await cmd.ExecuteScalarAsync(ct))!).ToString(Inv);
    }


    private async Task GpuAsync(CancellationToken ct)
    {
        using var cold = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.Nvml });
        var probe = await cold.CollectAsync(ct);
        var smi = ProgramLocator.Find("nvidia-smi", Environment.GetEnvironmentVariable("PATH") ?? "");
        if (!probe.IsAvailable || smi is null)
        {
            Row("GPU snapshot via NVML vs via nvidia-smi", "skipped", !probe.IsAvailable ? $"no NVML here ({probe.Unavailable})" : "no nvidia-smi on PATH", null, "NVML >= 10x faster (GPU machine only)", null);
            return;
        }

        // The daemon's way: NVML kept initialised between snapshots. Also shown: a one-off snapshot
        // (NVML loaded, initialised, read and shut down, as `ledger snapshot gpu` does). nvidia-smi is
        // started and parsed each time either way.
        using var warm = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.Nvml, KeepNvmlOpen = true });
        var viaDaemon = await MedianOfAsync(() => warm.CollectAsync(ct), runs: 50);
        var viaOneOff = await MedianOfAsync(() => cold.CollectAsync(ct), runs: 20);
        using var collector = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.NvidiaSmi });
        var viaSmi = await MedianOfAsync(() => collector.CollectAsync(ct), runs: 5);
        Row("GPU snapshot via NVML (daemon, NVML kept open) vs via nvidia-smi", Ms(viaDaemon), $"nvidia-smi: {Ms(viaSmi)}", viaSmi / viaDaemon, "NVML >= 10x faster", r => r >= 10);
        Row("GPU snapshot via NVML (one-off, NVML initialised each time) vs via nvidia-smi", Ms(viaOneOff), $"nvidia-smi: {Ms(viaSmi)}", viaSmi / viaOneOff, "(for information)", null);
    }

    // ---- plumbing ---------------------------------------------------------------------------

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

    private (string Exe, string[] First) LedgerCommand() =>
        _o.Ledger.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", [_o.Ledger]) : (_o.Ledger, []);

    private Task<string> RunLedgerAsync(string cs, string[] args, CancellationToken ct)
    {
        var (exe, first) = LedgerCommand();
        return RunAsync(exe, [.. first, "--db", cs, .. args], _ctx.Home, ct);
    }

    private static async Task<string> RunAsync(string exe, string[] args, string? ledgerHome, CancellationToken ct, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        if (ledgerHome is not null)
        {
            psi.Environment["LEDGER_HOME"] = ledgerHome;
        }

        using var process = Process.Start(psi) ?? throw new Core.Errors.LedgerException($"Could not start {exe}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new Core.Errors.LedgerException($"{Path.GetFileName(exe)} {string.Join(' ', args.Take(3))} ... exited with {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var sw = Stopwatch.StartNew();
        await work();
        return sw.Elapsed.TotalSeconds;
    }

    private async Task<double> MedianOfAsync<T>(Func<Task<T>> work, int runs = 0)
    {
        await work(); // warm: plans cached, pages in the server's buffers, as for a second user
        var times = new List<double>();
        for (int i = 0; i < (runs > 0 ? runs : Math.Max(5, _o.Runs)); i++)
        {
            times.Add(await TimeAsync(work));
        }

        return Median(times);
    }

    /// <summary>Runs of each side for a timeline page: pages take about a millisecond, so many, to steady the median.</summary>
    private const int PageRuns = 31;

    /// <summary>
    /// Medians of two workloads measured alternately (ours, baseline, ours, ...), so that a passing
    /// disturbance of the machine falls on both sides alike, in the steady state of a long-lived
    /// process such as the TUI: both sides first run 50 times (plans cached, pages in the server's
    /// buffers, and the runtime's second-tier compilation of what runs often done; until then a
    /// millisecond page measures the JIT more than the code).
    /// </summary>
    private static async Task<(double Ours, double Baseline)> PairedMediansAsync(Func<Task> ours, Func<Task> baseline, int runs)
    {
        for (int i = 0; i < 50; i++)
        {
            await ours();
            await baseline();
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the background compiler's turn
        var (a, b) = (new List<double>(), new List<double>());
        for (int i = 0; i < runs; i++)
        {
            a.Add(await TimeAsync(ours));
            b.Add(await TimeAsync(baseline));
        }

        return (Median(a), Median(b));
    }

    private Task<double> MedianOfAsync(Func<Task> work, int runs = 0) => MedianOfAsync(async () =>
    {
        await work();
        return 0;
    }, runs);

    public static double Median(IEnumerable<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.01 ? "0.00" : "0.0", Inv) + " ms";

    private static string Sec(double seconds) => seconds.ToString("0.00", Inv) + " s";

    private static string Describe(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return $"{b.Host}{(b.Port != 5432 ? ":" + b.Port : "")}";
    }

    /// <summary>A libpq connection string (for psql) for an Npgsql one: host, port, user, database, password.</summary>
    public static string Libpq(string npgsql)
    {
        var b = new NpgsqlConnectionStringBuilder(npgsql);
        var parts = new List<string> { $"host={Quote(b.Host ?? "localhost")}", $"port={b.Port}", $"dbname={Quote(b.Database ?? "postgres")}" };
        if (b.Username is { } u)
        {
            parts.Add($"user={Quote(u)}");
        }

        if (b.Password is { } p)
        {
            parts.Add($"password={Quote(p)}");
        }

        return string.Join(' ', parts);

        static string Quote(string v) => "'" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    private static string? FindUp(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>A throwaway folder, removed afterwards.</summary>
    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ledger-bench-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A git repository in a throwaway folder, committed to with the real git.</summary>
    private sealed class TempRepo : IDisposable
    {
        private readonly TempDirectory _dir = new();
        private int _n;

        public TempRepo()
        {
            Git("init", "-q", "-b", "main");
        }

        public string Path => _dir.Path;

        public void Commit(string message)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, "configuration.nix"), $"{{ ... }}: {{\n  services.jellyfin.enable = true;\n  # revision {++_n}\n}}\n", Encoding.UTF8);
            Git("add", "-A");
            // The bench runs the post-commit hook itself, timed: git must not run it too.
            Git("-c", "core.hooksPath=/dev/null", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "commit", "-q", "-m", message);
        }

        public void Dispose() => _dir.Dispose();

        private void Git(params string[] args)
        {
            using var p = Process.Start(new ProcessStartInfo("git", ["-C", Path, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new Core.Errors.LedgerException($"git {string.Join(' ', args)} failed in {Path}: {p.StandardError.ReadToEnd().Trim()}");
            }
        }
    }
}
