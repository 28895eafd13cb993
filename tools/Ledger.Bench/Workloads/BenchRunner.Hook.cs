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

        // The same hook where no daemon answers (`--daemon none`): it runs ledger-hook when the
        // published ledger has it beside it (Native AOT), else ledger, with the database from LEDGER_DB.
        using var plainRepo = new TempRepo();
        plainRepo.Commit("initial");
        await _ctx.Ledger.RunAsync(["init", "--repo", plainRepo.Path, "--hooks", "--host", Host, "--daemon", "none"], home.Path, ct, cs);
        var plainHook = Path.Combine(plainRepo.Path, ".git", "hooks", "post-commit");
        var hookExecutable = File.Exists(Path.Combine(Path.GetDirectoryName(_ctx.Ledger.Path)!, "ledger-hook"));
        var withDb = new Dictionary<string, string?> { ["LEDGER_DB"] = cs };

        // What ledger-hook hands over runs in the .NET ledger (a published ledger's front door would
        // send `record commit` to ledger-hook itself).
        var handedOver = new Dictionary<string, string?> { [Ledger.App.Recording.HookInstaller.HandedOverVariable] = "1" };

        var psql = ChildProcess.Find("psql");
        if (psql is not null)
        {
            await using var raw = await Baselines.OpenAsync(cs, ct);
            await raw.CreateHookTableAsync(ct);
        }

        var viaDaemon = new List<double>();
        var command = new List<double>();
        var plain = new List<double>();
        var baseline = new List<double>();
        var runs = Math.Max(10, _o.Runs);
        for (int i = 0; i < runs; i++)
        {
            repo.Commit($"change {i}");
            viaDaemon.Add(await TimeAsync(() => ChildProcess.RunAsync(hook, [], ct, home.Path, repo.Path)));
            plainRepo.Commit($"change {i} without a daemon");
            plain.Add(await TimeAsync(() => ChildProcess.RunAsync(plainHook, [], ct, home.Path, plainRepo.Path, withDb)));
            repo.Commit($"change {i} by the command");
            command.Add(await TimeAsync(() => _ctx.Ledger.RunAsync(["record", "commit", "--repo", repo.Path, "--host", Host], home.Path, ct, cs, handedOver)));
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

        var plainRecorded = await CountPlainCommitsAsync(cs, ct);
        if (plainRecorded != runs)
        {
            throw new LedgerException($"the hook without a daemon recorded {plainRecorded} of its {runs} commits (it says why on stderr; the log is under {home.Path}/logs).");
        }

        string Baseline() => psql is null ? "psql not on PATH" : $"psql -c insert: {Ms(Median(baseline))}";
        double? Ratio(List<double> ours) => psql is null ? null : Median(ours) / Median(baseline);
        Row($"record one commit: the installed git hook, ledger serve running, median of {runs}", Ms(Median(viaDaemon)), Baseline(), Ratio(viaDaemon), "<= 2.0x", r => r <= 2.0);
        Row(
            $"record one commit: the installed git hook without a daemon ({(hookExecutable ? "ledger-hook, Native AOT" : "ledger; no ledger-hook beside it")}), median of {runs}",
            Ms(Median(plain)), Baseline(), Ratio(plain), "<= 2.0x", r => r <= 2.0);
        Row($"record one commit: `ledger record commit` as a whole process (what ledger-hook hands over), median of {runs}", Ms(Median(command)), Baseline(), Ratio(command), "—", null);
    }

    /// <summary>How many of the commits made for the hook without a daemon were recorded.</summary>
    private static async Task<long> CountPlainCommitsAsync(string cs, CancellationToken ct)
    {
        await using var conn = new Npgsql.NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand("select count(*) from ledger.mt_events where type = 'config_edited' and data->>'message' like 'change % without a daemon%'", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
