using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ledger.Capture.Git;
using Ledger.Cli.Bench;
using Ledger.Core.Errors;
using Ledger.Store;

namespace Ledger.Cli.Commands;

/// <summary>
/// Benchmarks that print our figure next to a baseline measured in the same run. Never a timed
/// test: figures depend on the machine, ratios much less.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var repo = CommonOptions.Repo();
        var runs = new Option<int>("--runs") { Description = "Repetitions of each side (the median is reported)", DefaultValueFactory = _ => 3 };
        var import = new Command("import", "Time import-git of a repository into a scratch database against 'git log -p --stat' on it") { repo, runs };
        import.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var path = r.GetValue(repo)!;
            var n = Math.Max(1, r.GetValue(runs));
            using (GitHistoryReader.Open(path))
            {
                // Fail early with the usual message when the path is not a repository.
            }

            var server = ctx.ExplicitDb;
            if (server is null)
            {
                var pg = ctx.Embedded;
                await pg.StartAsync(ct);
                server = pg.ConnectionString();
            }

            var baseline = new List<double>();
            var ours = new List<double>();
            int commits = 0;
            for (int i = 0; i < n; i++)
            {
                baseline.Add(await TimeGitLogAsync(path, ct));
                await using var scratch = await ScratchDatabase.CreateAsync(server, "ledger_bench", ct);
                await using var store = await LedgerStore.OpenAsync(scratch.ConnectionString, ct);
                var sw = Stopwatch.StartNew();
                using var reader = GitHistoryReader.Open(path);
                var result = await GitImport.RunAsync(store, reader, "bench", ctx.Actor, null, ct);
                ours.Add(sw.Elapsed.TotalSeconds);
                commits = result.Recorded;
            }

            var (b, o) = (Median(baseline), Median(ours));
            var inv = CultureInfo.InvariantCulture;
            await ctx.Out.WriteLineAsync($"repository: {Path.GetFullPath(path)} ({commits} commits reachable from HEAD), {n} run(s), medians");
            await ctx.Out.WriteLineAsync("| workload | ledger | baseline (same run) | ratio | target |");
            await ctx.Out.WriteLineAsync("|---|---|---|---|---|");
            await ctx.Out.WriteLineAsync(string.Format(inv, "| import-git (history into an empty database) | {0:0.00} s | git log -p --stat: {1:0.00} s | {2:0.00}x | <= 4x now, <= 2x later |", o, b, o / b));
            return ExitCodes.Success;
        });
        return new Command("bench", "Benchmarks with a baseline measured in the same run") { import, Seed(context), Run(context) };
    }

    private static Command Seed(Func<ParseResult, CliContext> context)
    {
        var events = new Option<long>("--events") { Description = "How many events to write", DefaultValueFactory = _ => 1_000_000 };
        var hosts = new Option<int>("--hosts") { Description = "Over how many hosts (named bench-01, bench-02, ...)", DefaultValueFactory = _ => 3 };
        var days = new Option<int>("--days") { Description = "Spread evenly over the last this many days", DefaultValueFactory = _ => 60 };
        var seed = new Command("seed", "Write a realistic ledger fast (binary COPY): snapshots every minute or so, config edits, validations, deploys, alerts") { events, hosts, days };
        seed.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var cs = await ctx.ConnectionStringAsync(ct);
            var progress = new Progress<long>(n => ctx.Err.WriteLine($"  {n:N0} events"));
            var result = await BenchSeeder.SeedAsync(cs, r.GetValue(events), r.GetValue(hosts), r.GetValue(days), DateTimeOffset.UtcNow, progress, ct);
            await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {result.Events:N0} events in {result.Streams:N0} streams from {result.From:yyyy-MM-dd} to {result.To:yyyy-MM-dd} in {result.Elapsed.TotalSeconds:0.0} s ({result.Events / result.Elapsed.TotalSeconds:N0} events/s)."));
            return ExitCodes.Success;
        });
        return seed;
    }

    private static Command Run(Func<ParseResult, CliContext> context)
    {
        var events = new Option<long>("--events") { Description = "Events in the large dataset (timeline, report, TUI)", DefaultValueFactory = _ => 1_000_000 };
        var hosts = new Option<int>("--hosts") { Description = "Hosts in the large dataset", DefaultValueFactory = _ => 3 };
        var days = new Option<int>("--days") { Description = "Days the large dataset spans", DefaultValueFactory = _ => 60 };
        var runs = new Option<int>("--runs") { Description = "Repetitions of each timed side (medians are reported)", DefaultValueFactory = _ => 3 };
        var repo = new Option<string?>("--repo") { Description = "A git history to import (default: one of --commits commits generated by bench/make-nixos-history.py)" };
        var commits = new Option<int>("--commits") { Description = "Commits of the generated history", DefaultValueFactory = _ => 3000 };
        var only = new Option<string[]>("--only") { Description = "Only these workloads (repeatable): " + string.Join(", ", BenchRunner.BenchOptions.Workloads) };
        only.AcceptOnlyFromAmong(BenchRunner.BenchOptions.Workloads);
        var run = new Command("run", "Run every workload next to its baseline, on scratch databases of the server (--db, LEDGER_DB or the embedded one); prints a Markdown table")
        {
            events, hosts, days, runs, repo, commits, only,
        };
        run.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var server = await ctx.ConnectionStringAsync(ct);
            // This very program, for the whole-process workloads: the apphost, or ledger.dll under dotnet.
            var self = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? typeof(BenchCommand).Assembly.Location : Environment.ProcessPath!;
            var runner = new BenchRunner(ctx, server, new BenchRunner.BenchOptions(
                r.GetValue(events), r.GetValue(hosts), r.GetValue(days), Math.Max(1, r.GetValue(runs)), r.GetValue(repo), r.GetValue(commits), self, (r.GetValue(only) ?? []).ToHashSet(StringComparer.Ordinal)));
            var failed = await runner.RunAsync(ct);
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return run;
    }

    private static async Task<double> TimeGitLogAsync(string repo, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("git", ["-C", repo, "log", "-p", "--stat"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new LedgerException("Could not start git; is it on PATH?");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, ct);
        await process.WaitForExitAsync(ct);
        var elapsed = sw.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new LedgerException($"git log failed in {repo}: {(await stderr).Trim()}");
        }

        return elapsed;
    }

    private static double Median(List<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
