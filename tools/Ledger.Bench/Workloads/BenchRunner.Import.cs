using Ledger.App.ChangeDocs;
using Ledger.App.Recording;
using Ledger.App.Rendering;
using Ledger.Capture.Git;
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
            baseline.Add(await TimeAsync(() => ChildProcess.RunAsync(git, ["-C", path, "log", "-p", "--stat"], ct)));
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
