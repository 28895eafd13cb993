using System.Diagnostics;
using Ledger.Capture.Processes;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Ledger.Store.Embedded;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// Issue 7: the database going away in the middle of a command. Runs its own PostgreSQL (it is
/// stopped with -m immediate, like a crash) and the real ledger binary in a child process.
/// </summary>
public sealed class DatabaseRestartSpecs : IDisposable
{
    private readonly TempDirectory _home = new("ledger-restart");
    private readonly TempDirectory _work = new("ledger-restart-repo");

    public DatabaseRestartSpecs()
    {
        // The embedded server runs as an unprivileged user when the tests run as root.
        File.SetUnixFileMode(_home.Path, (UnixFileMode)0b111_101_101);
    }

    public void Dispose()
    {
        new EmbeddedPostgres(_home.Path, ProgramRunner.Default).StopAsync().GetAwaiter().GetResult();
        _home.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Import_survives_a_crash_and_restart_of_PostgreSQL_mid_append_with_exactly_one_event_per_commit_issue_7()
    {
        var pg = new EmbeddedPostgres(_home.Path, ProgramRunner.Default);
        await pg.StartAsync();
        var cs = pg.ConnectionString();
        await using (await LedgerStore.OpenAsync(cs))
        {
            // Creates the schema, so that the import's first write is the append below.
        }

        var repo = Path.Combine(_work.Path, "repo");
        await GeneratedHistory.WriteAsync(repo, 300, 7);
        var commits = int.Parse(Run("git", "-C", repo, "rev-list", "--count", "HEAD").Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // Hold back the import's first append (a lock on the streams table) so that the crash hits it in flight.
        var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
        await blocker.OpenAsync();
        var tx = await blocker.BeginTransactionAsync();
        await using (var lockCmd = new NpgsqlCommand("lock table ledger.mt_streams in exclusive mode", blocker, tx))
        {
            await lockCmd.ExecuteNonQueryAsync();
        }

        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ledger.dll"), "import-git", "--repo", repo, "--host", "crash"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["LEDGER_DB"] = cs;
        psi.Environment["LEDGER_HOME"] = _home.Path;
        psi.Environment["LEDGER_DB_RETRY_SECONDS"] = "30";
        using var ledger = Process.Start(psi)!;
        var stdout = ledger.StandardOutput.ReadToEndAsync();
        var stderr = ledger.StandardError.ReadToEndAsync();

        // Watched from another connection: inside the blocker's transaction pg_stat_activity would not change.
        await using (var watcher = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString))
        {
            await watcher.OpenAsync();
            await WaitUntilAsync(
                async () => ledger.HasExited || await ScalarAsync(watcher, "select count(*) from pg_stat_activity where wait_event_type = 'Lock'") is > 0L,
                TimeSpan.FromSeconds(60));
        }

        ledger.HasExited.ShouldBeFalse(ledger.HasExited ? await stderr + await stdout : null);

        string[] stop = [PgCtl, "-D", pg.DataDirectory, "-m", "immediate", "-w", "stop"];
        if (pg.ServiceUser is { } user)
        {
            Run("runuser", ["-u", user, "--", .. stop]);
        }
        else
        {
            Run(stop[0], stop[1..]);
        }

        await blocker.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await pg.StartAsync();

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await ledger.WaitForExitAsync(timeout.Token);
        }

        var err = await stderr;
        ledger.ExitCode.ShouldBe(0, err + Logs());
        err.ShouldContain("attempt 1/5; waiting");
        (await stdout).ShouldContain($"{commits}");

        await using var check = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
        await check.OpenAsync();
        (await ScalarAsync(check, "select count(*) from ledger.mt_events where type = 'config_edited' and data->>'host' = 'crash'")).ShouldBe((long)commits);
        (await ScalarAsync(check, "select count(distinct data->>'sha') from ledger.mt_events where type = 'config_edited' and data->>'host' = 'crash'")).ShouldBe((long)commits);
    }

    /// <summary>What the ledger logged (an unexpected error's stack trace is only there).</summary>
    private string Logs()
    {
        var dir = Path.Combine(_home.Path, "logs");
        return Directory.Exists(dir)
            ? string.Concat(Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(f => $"\n--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"))
            : "\n(no logs)";
    }

    private static string PgCtl => File.Exists("/usr/lib/postgresql/15/bin/pg_ctl") ? "/usr/lib/postgresql/15/bin/pg_ctl" : "pg_ctl";

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            clock.Elapsed.ShouldBeLessThan(timeout, "the import never reached its first append");
            await Task.Delay(50);
        }
    }

    private static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, $"{program} {string.Join(' ', args)}: {error}");
        return output;
    }
}
