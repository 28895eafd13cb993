using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Capture;

public sealed class BackupSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly TempDirectory _files = new("ledger-files");

    public BackupSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _files.Dispose();
        _home.Dispose();
    }

    private CliRun Cli(string host) => new(_db.ConnectionString, _home.Path, host);

    private string File(string name, byte[] content, UnixFileMode mode)
    {
        var path = Path.Combine(_files.Path, name);
        System.IO.File.WriteAllBytes(path, content);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    private static long Seq(string json) => JsonDocument.Parse(json).RootElement[0].GetProperty("seq").GetInt64();

    [Fact]
    public async Task Backup_then_restore_file_round_trips_bytes_and_mode_and_records_both()
    {
        var original = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 256)).ToArray();
        var path = File("jellyfin.nix", original, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var cli = Cli("backup-host");
        var backup = await cli.RunAsync("backup", path, "--reason", "before enabling NVENC", "--json");
        backup.ExitCode.ShouldBe(0, backup.Err);
        var backupSeq = Seq(backup.Out);

        System.IO.File.WriteAllText(path, "broken edit\n");
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var restore = await cli.RunAsync("restore-file", path, "--json");

        restore.ExitCode.ShouldBe(0, restore.Err);
        System.IO.File.ReadAllBytes(path).ShouldBe(original);
        System.IO.File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var rows = JsonDocument.Parse(restore.Out).RootElement.EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("kind").GetString()).ShouldBe(["backup", "backup"]);
        rows[0].GetProperty("type").GetString().ShouldBe("backup_taken");
        rows[0].GetProperty("data").GetProperty("reason").GetString().ShouldBe($"before restore-file from #{backupSeq}");
        rows[0].GetProperty("data").GetProperty("sizeBytes").GetInt64().ShouldBe(12);
        var restored = rows[1].GetProperty("data");
        rows[1].GetProperty("type").GetString().ShouldBe("file_restored");
        restored.GetProperty("fromSeq").GetInt64().ShouldBe(backupSeq);
        restored.GetProperty("previousBackupSeq").GetInt64().ShouldBe(rows[0].GetProperty("seq").GetInt64());
        Directory.GetFiles(_files.Path).ShouldBe([path], "no temporary file left behind");
    }

    [Fact]
    public async Task The_same_content_is_stored_once_and_recorded_once_per_path()
    {
        var a = File("a.nix", "{ same = true; }\n"u8.ToArray(), (UnixFileMode)420);
        var b = File("b.nix", "{ same = true; }\n"u8.ToArray(), (UnixFileMode)420);
        var cli = Cli("dedupe-host");

        var first = await cli.RunAsync("backup", a, b);
        var again = await cli.RunAsync("backup", a);

        first.ExitCode.ShouldBe(0, first.Err);
        again.Out.ShouldContain("unchanged since backup");
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = "dedupe-host", Kinds = ["backup"] });
        events.Count.ShouldBe(2, "one per path, none for the unchanged re-run");
        events.Select(e => ((BackupTaken)e.Data).Sha256).Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Restore_at_a_seq_takes_the_backup_in_effect_then_and_to_writes_elsewhere()
    {
        var path = File("grafana.nix", "v1\n"u8.ToArray(), (UnixFileMode)420);
        var cli = Cli("at-host");
        var v1 = Seq((await cli.RunAsync("backup", path, "--json")).Out);
        System.IO.File.WriteAllText(path, "v2\n");
        var v2 = Seq((await cli.RunAsync("backup", path, "--json")).Out);
        var copy = Path.Combine(_files.Path, "copy.nix");

        var run = await cli.RunAsync("restore-file", path, "--at", (v2 - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", copy);

        run.ExitCode.ShouldBe(0, run.Err);
        v2.ShouldBeGreaterThan(v1);
        System.IO.File.ReadAllText(copy).ShouldBe("v1\n");
        System.IO.File.ReadAllText(path).ShouldBe("v2\n", "--to leaves the original alone");
    }

    [Fact]
    public async Task Bad_input_is_refused_with_exit_2_and_nothing_recorded()
    {
        var big = File("big.bin", new byte[2048], (UnixFileMode)420);
        var cli = Cli("bad-backup-host");

        var missing = await cli.RunAsync("backup", Path.Combine(_files.Path, "nope.nix"));
        var directory = await cli.RunAsync("backup", _files.Path);
        var tooBig = await cli.RunAsync("backup", big, "--max-size", "1024");
        var mixed = await cli.RunAsync("backup", big, Path.Combine(_files.Path, "nope.nix"));
        var noBackup = await cli.RunAsync("restore-file", Path.Combine(_files.Path, "never.nix"));

        missing.ExitCode.ShouldBe(2);
        missing.Err.ShouldContain("does not exist");
        directory.ExitCode.ShouldBe(2);
        directory.Err.ShouldContain("is a directory");
        tooBig.ExitCode.ShouldBe(2);
        tooBig.Err.ShouldContain("over the backup size limit of 1024 bytes");
        mixed.ExitCode.ShouldBe(2);
        noBackup.ExitCode.ShouldBe(2);
        noBackup.Err.ShouldContain("There is no backup of");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "bad-backup-host" })).ShouldBeEmpty("a bad path among several stores nothing");
    }

    [Fact]
    public async Task A_full_disk_during_restore_file_leaves_the_target_untouched_and_exits_1()
    {
        if (!Ledger.Store.Embedded.EmbeddedPostgres.IsRoot)
        {
            return; // Mounting a tiny file system needs root (CI runs as root).
        }

        var big = File("big.nix", Enumerable.Range(0, 200_000).Select(i => (byte)('a' + (i % 26))).ToArray(), (UnixFileMode)420);
        var cli = Cli("full-disk-host");
        (await cli.RunAsync("backup", big)).ExitCode.ShouldBe(0);
        var mount = Path.Combine(_files.Path, "tiny");
        Directory.CreateDirectory(mount);
        if (!TryRun("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount))
        {
            return; // This sandbox does not allow mounts; the behaviour is then unchecked here.
        }

        try
        {
            var target = Path.Combine(mount, "big.nix");
            await System.IO.File.WriteAllTextAsync(target, "old content\n");

            var run = await cli.RunAsync("restore-file", big, "--to", target);

            run.ExitCode.ShouldBe(1, run.Out + run.Err);
            run.Err.ShouldContain("The file is unchanged");
            (await System.IO.File.ReadAllTextAsync(target)).ShouldBe("old content\n");
            Directory.GetFiles(mount).ShouldBe([target], "no temporary file left behind");
        }
        finally
        {
            TryRun("umount", mount).ShouldBeTrue();
        }
    }

    private static bool TryRun(string program, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }
}
