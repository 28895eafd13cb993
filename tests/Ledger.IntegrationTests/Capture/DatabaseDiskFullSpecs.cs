using System.Diagnostics;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Ledger.Store.Embedded;
using Npgsql;

namespace Ledger.IntegrationTests.Capture;

/// <summary>
/// Issue 7: a full disk on the database side during <c>ledger backup</c>. A PostgreSQL of its own
/// keeps the backup content table in a tablespace on a 1 MiB tmpfs, so a larger file really runs
/// the server out of space (SQLSTATE 53100).
/// </summary>
public sealed class DatabaseDiskFullSpecs : IDisposable
{
    private readonly TempDirectory _home = new("ledger-full");
    private readonly TempDirectory _files = new("ledger-full-files");
    private readonly string _mount;
    private bool _mounted;

    public DatabaseDiskFullSpecs()
    {
        File.SetUnixFileMode(_home.Path, (UnixFileMode)0b111_101_101);
        _mount = Path.Combine(_home.Path, "tiny");
    }

    public void Dispose()
    {
        new EmbeddedPostgres(_home.Path, ProgramRunner.Default).StopAsync().GetAwaiter().GetResult();
        if (_mounted)
        {
            Run("umount", _mount);
        }

        _files.Dispose();
        _home.Dispose();
    }

    [RootFact]
    public async Task A_backup_that_fills_the_database_disk_exits_3_naming_it_and_stores_nothing_issue_7()
    {
        var pg = new EmbeddedPostgres(_home.Path, ProgramRunner.Default);
        await pg.StartAsync();
        var cs = pg.ConnectionString();
        await using (await LedgerStore.OpenAsync(cs))
        {
            // Creates the schema.
        }

        Directory.CreateDirectory(_mount);
        var uid = Run("id", "-u", pg.ServiceUser!).Trim();
        Run("mount", "-t", "tmpfs", "-o", $"size=1m,mode=0700,uid={uid}", "tmpfs", _mount);
        _mounted = true;
        await ExecAsync(cs, $"create tablespace tiny location '{_mount}'");
        await ExecAsync(cs, "alter table ledger.ledger_blobs set tablespace tiny");

        var small = Path.Combine(_files.Path, "small.nix");
        await File.WriteAllTextAsync(small, "{ services.jellyfin.enable = true; }\n");
        var big = Path.Combine(_files.Path, "media.db");
        await File.WriteAllBytesAsync(big, RandomBytes(3 * 1024 * 1024));
        var cli = new CliRun(cs, _home.Path, "full-host");

        var run = await cli.RunAsync("backup", small, big);

        run.ExitCode.ShouldBe(ExitCodes.DatabaseFull, run.Err);
        run.Err.ShouldContain("database server's disk is full");
        run.Err.ShouldContain(big);
        run.Err.ShouldContain("No space left on device");
        run.Err.ShouldContain("Free space");
        run.Out.ShouldContain($"backed up {small}");
        (await ScalarAsync(cs, "select count(*) from ledger.mt_events where type = 'backup_taken'")).ShouldBe(1L);
        (await ScalarAsync(cs, "select count(*) from ledger.ledger_blobs")).ShouldBe(1L);
        (await ScalarAsync(cs, $"select count(*) from ledger.mt_streams where id like 'backup:full-host:{big}:%'")).ShouldBe(0L);

        // Once there is room (the table back on the big disk), the same command records what is missing.
        await ExecAsync(cs, "alter table ledger.ledger_blobs set tablespace pg_default");
        var again = await cli.RunAsync("backup", small, big);
        again.ExitCode.ShouldBe(0, again.Err);
        again.Out.ShouldContain($"{small} is unchanged");
        (await ScalarAsync(cs, "select count(*) from ledger.mt_events where type = 'backup_taken'")).ShouldBe(2L);
        (await ScalarAsync(cs, "select count(*) from ledger.ledger_blobs")).ShouldBe(2L);
    }

    private static byte[] RandomBytes(int n)
    {
        // Incompressible, so PostgreSQL's TOAST compression cannot make it fit.
        var bytes = new byte[n];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
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
