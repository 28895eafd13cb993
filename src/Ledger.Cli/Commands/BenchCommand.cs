using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ledger.Capture.Git;
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
        return new Command("bench", "Benchmarks with a baseline measured in the same run") { import };
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
