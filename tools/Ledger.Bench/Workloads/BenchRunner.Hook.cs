using Ledger.Bench.RawSql;
using Ledger.Core.Errors;
using Ledger.Store;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    private async Task HookAsync(string cs, CancellationToken ct)
    {
        // The hook as `ledger init --hooks` installs it, with `ledger serve` running (a child
        // process on a free port): the daemon records the commit before the hook returns. Next to
        // it, the hook's fallback without a daemon: the ledger command as a whole process.
        const string Host = "bench-hook";
        using var repo = new TempRepo();
        using var home = new TempDirectory();
        repo.Commit("initial");
        await (await LedgerStore.OpenAsync(cs, ct)).DisposeAsync(); // creates the schema: not timed
        await using var daemon = await LedgerDaemon.StartAsync(_ctx.Ledger, cs, repo.Path, Host, home.Path, ct);
        await _ctx.Ledger.RunAsync(["init", "--repo", repo.Path, "--hooks", "--host", Host, "--daemon", daemon.Url.ToString()], home.Path, ct, cs);
        var hook = Path.Combine(repo.Path, ".git", "hooks", "post-commit");

        var psql = ChildProcess.Find("psql");
        if (psql is not null)
        {
            await using var raw = await Baselines.OpenAsync(cs, ct);
            await raw.CreateHookTableAsync(ct);
        }

        var viaDaemon = new List<double>();
        var command = new List<double>();
        var baseline = new List<double>();
        var runs = Math.Max(10, _o.Runs);
        for (int i = 0; i < runs; i++)
        {
            repo.Commit($"change {i}");
            viaDaemon.Add(await TimeAsync(() => ChildProcess.RunAsync(hook, [], ct, home.Path, repo.Path)));
            repo.Commit($"change {i} by the command");
            command.Add(await TimeAsync(() => _ctx.Ledger.RunAsync(["record", "commit", "--repo", repo.Path, "--host", Host], home.Path, ct, cs)));
            if (psql is not null)
            {
                baseline.Add(await TimeAsync(() => ChildProcess.RunAsync(psql, Baselines.HookInsertArgs(cs, i), ct)));
            }
        }

        var recorded = await daemon.CountAsync("Recorded commit", runs);
        if (recorded != runs)
        {
            throw new LedgerException($"the daemon recorded {recorded} of the hook's {runs} commits; the others went through the hook's fallback. Its log:\n{daemon.Log}");
        }

        string Baseline() => psql is null ? "psql not on PATH" : $"psql -c insert: {Ms(Median(baseline))}";
        double? Ratio(List<double> ours) => psql is null ? null : Median(ours) / Median(baseline);
        Row($"record one commit: the installed git hook, ledger serve running, median of {runs}", Ms(Median(viaDaemon)), Baseline(), Ratio(viaDaemon), "<= 2.0x", r => r <= 2.0);
        Row($"record one commit: `ledger record commit` as a whole process (the hook without a daemon), median of {runs}", Ms(Median(command)), Baseline(), Ratio(command), "— (fallback)", null);
    }
}
