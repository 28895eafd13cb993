using Ledger.App.ChangeDocs;
using Ledger.App.Recording;
using Ledger.App.Rendering;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    private async Task ImportAndDocsAsync(string cs, CancellationToken ct)
    {
        using var generated = _o.Repo is null ? new TempDirectory() : null;
        var path = _o.Repo;
        if (path is null)
        {
            var script = FindUp("bench/make-nixos-history.py");
            var python = ChildProcess.Find("python3");
            if (script is null || python is null)
            {
                Row("import a history of >= 3,000 commits", "skipped", "needs --repo, or python3 and bench/make-nixos-history.py (run from the repository)", null, "<= 2.0x", null);
                return;
            }

            path = Path.Combine(generated!.Path, "history");
            await ChildProcess.RunAsync(python, [script, path, _o.Commits.ToString(Inv)], ct);
        }

        var git = ChildProcess.Find("git") ?? "git";
        var ours = new List<double>();
        var baseline = new List<double>();
        var commits = 0;
        for (int i = -1; i < _o.Runs; i++)
        {
            // Run -1 warms both sides (the page cache, this process's JIT) and is not counted.
            // git's output read and thrown away: the baseline does not pay for keeping it here.
            baseline.Add((await ChildProcess.MeasureAsync(git, FirstParentLog(path), ct)).Seconds);
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

        Row($"import a history of {commits:N0} commits, median of {_o.Runs}", Sec(Median(ours)), $"git log -p --stat --diff-merges=first-parent, output discarded: {Sec(Median(baseline))}", Median(ours) / Median(baseline), "<= 2.0x", r => r <= 2.0);

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

    /// <summary>git's own reading of the same diffs: every commit against its first parent, as Ledger reads them.</summary>
    private static string[] FirstParentLog(string repo) => ["-C", repo, "log", "-p", "--stat", "--diff-merges=first-parent"];

    /// <summary>
    /// Each real history (--real) imported by the ledger command as a whole process, as a user runs
    /// it, into a scratch database set up as a user sets one up (<c>ledger init --repo</c>, untimed:
    /// it creates the schema and registers the repository), against git reading the same diffs;
    /// after one untimed run of each side.
    /// </summary>
    private async Task RealHistoriesAsync(CancellationToken ct)
    {
        if (_o.Real is not { Count: > 0 } repos)
        {
            Row("import real histories (whole process)", "skipped", "no --real REPO given", null, "<= 2.0x", null);
            return;
        }

        var git = ChildProcess.Find("git") ?? "git";
        foreach (var repo in repos)
        {
            var path = Path.GetFullPath(repo);
            var commits = (await ChildProcess.RunAsync(git, ["-C", path, "rev-list", "--count", "HEAD"], ct)).Trim();
            var ours = new List<double>();
            var baseline = new List<double>();
            var oursPeak = new List<long>();
            var baselinePeak = new List<long>();
            string? gitFailed = null;
            for (int i = -1; i < _o.Runs; i++)
            {
                (double Seconds, long? PeakBytes) log;
                try
                {
                    // Its output read and thrown away: the baseline does not pay for keeping it.
                    log = await ChildProcess.MeasureAsync(git, FirstParentLog(path), ct);
                }
                catch (LedgerException e)
                {
                    // git stops at a lost object: the time up to there is no baseline for a
                    // whole import, which goes on past it.
                    gitFailed = e.Message.ReplaceLineEndings(" ");
                    log = (double.NaN, null);
                }

                await using var db = await ScratchDatabase.CreateAsync(_server, "ledger_bench_real", ct);
                using var home = new TempDirectory();
                await _ctx.Ledger.RunAsync(["init", "--repo", path, "--host", "bench"], home.Path, ct, db.ConnectionString);
                var took = await _ctx.Ledger.MeasureAsync(["import-git", "--repo", path, "--host", "bench"], home.Path, ct, db.ConnectionString);
                if (i >= 0)
                {
                    ours.Add(took.Seconds);
                    baseline.Add(log.Seconds);
                    oursPeak.AddRange(took.PeakBytes is { } p ? [p] : []);
                    baselinePeak.AddRange(log.PeakBytes is { } q ? [q] : []);
                }
            }

            var name = $"import {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))} ({long.Parse(commits, Inv):N0} commits) as a whole process, median of {_o.Runs}";
            var oursCell = $"{Sec(Median(ours))}{Peak(oursPeak)}";
            if (gitFailed is not null)
            {
                Row(name, oursCell, $"none: git log stopped ({Shortened(gitFailed)})", null, "<= 2.0x", null);
                continue;
            }

            Row(name, oursCell, $"git log -p --stat --diff-merges=first-parent, output discarded: {Sec(Median(baseline))}{Peak(baselinePeak)}", Median(ours) / Median(baseline), "<= 2.0x", r => r <= 2.0);
        }
    }

    /// <summary>", peak RSS N MB" (the median of the runs' peaks), or nothing where it could not be read.</summary>
    private static string Peak(List<long> peaks) =>
        peaks.Count == 0 ? "" : $", peak RSS {Median(peaks.Select(p => (double)p).ToList()) / (1024 * 1024):0} MB";

    private static string Shortened(string text) => text.Length <= 80 ? text : text[..77] + "...";

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
}
