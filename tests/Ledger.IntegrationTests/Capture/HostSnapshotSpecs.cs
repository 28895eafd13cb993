using System.Text.Json;
using Ledger.Capture;
using Ledger.Capture.Host;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Capture;

public sealed class HostSnapshotSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");

    public HostSnapshotSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public void System_facts_come_from_proc_and_the_system_profile_link()
    {
        using var root = new TempDirectory("fake-proc");
        var proc = Path.Combine(root.Path, "proc");
        Directory.CreateDirectory(Path.Combine(proc, "sys", "kernel"));
        File.WriteAllText(Path.Combine(proc, "loadavg"), "0.52 0.58 0.59 2/1234 56789\n");
        File.WriteAllText(Path.Combine(proc, "uptime"), "350735.47 234388.90\n");
        File.WriteAllText(Path.Combine(proc, "sys", "kernel", "osrelease"), "6.6.52\n");
        File.WriteAllText(Path.Combine(proc, "meminfo"), "MemTotal:       32779116 kB\nMemFree:          912340 kB\nMemAvailable:   20214356 kB\nBuffers:          123 kB\n");
        var profiles = Path.Combine(root.Path, "profiles");
        Directory.CreateDirectory(profiles);
        File.CreateSymbolicLink(Path.Combine(profiles, "system"), "system-142-link");
        var current = Path.Combine(root.Path, "current-system");
        Directory.CreateDirectory(current);
        File.WriteAllText(Path.Combine(current, "nixos-version"), "24.11.719113.50ab793786d9 (Vicuna)\n");

        var s = SystemReader.Read("mediabox", "root", new SystemPaths(proc, Path.Combine(profiles, "system"), current));

        s.Load1.ShouldBe(0.52);
        s.Load5.ShouldBe(0.58);
        s.Load15.ShouldBe(0.59);
        s.UptimeSeconds.ShouldBe(350735);
        s.Kernel.ShouldBe("6.6.52");
        s.MemoryTotalBytes.ShouldBe(32779116L * 1024);
        s.MemoryAvailableBytes.ShouldBe(20214356L * 1024);
        s.Generation.ShouldBe(142);
        s.NixosVersion.ShouldBe("24.11.719113.50ab793786d9 (Vicuna)");
    }

    [Fact]
    public void A_broken_proc_file_is_a_clear_capture_error()
    {
        using var root = new TempDirectory("fake-proc");
        File.WriteAllText(Path.Combine(root.Path, "loadavg"), "garbage\n");

        var e = Should.Throw<CaptureException>(() => SystemReader.Read("h", "root", new SystemPaths(root.Path, "/nonexistent", "/nonexistent")));

        e.Message.ShouldContain("loadavg");
    }

    [Fact]
    public async Task Storage_snapshot_measures_each_mount_with_its_tier_like_df()
    {
        var cli = new CliRun(_db.ConnectionString, _home.Path, "storage-host");

        var run = await cli.RunAsync("snapshot", "storage", "--mount", "/=hot", "--mount", Path.GetTempPath().TrimEnd('/') + "=scratch", "--json");

        run.ExitCode.ShouldBe(0, run.Err);
        var row = JsonDocument.Parse(run.Out).RootElement.EnumerateArray().ShouldHaveSingleItem();
        row.GetProperty("seq").GetInt64().ShouldBeGreaterThan(0);
        var mounts = row.GetProperty("data").GetProperty("mounts").EnumerateArray().ToList();
        mounts.Select(m => m.GetProperty("tier").GetString()).ShouldBe(["hot", "scratch"]);
        var root = new DriveInfo("/");
        mounts[0].GetProperty("totalBytes").GetInt64().ShouldBe(root.TotalSize);
        var used = mounts[0].GetProperty("usedBytes").GetInt64();
        used.ShouldBeInRange(0, root.TotalSize);
        (used + mounts[0].GetProperty("availableBytes").GetInt64()).ShouldBeLessThanOrEqualTo(root.TotalSize, "reserved blocks are neither used nor available");
    }

    [Fact]
    public async Task Storage_mounts_come_from_storage_json_and_a_missing_mount_is_exit_2()
    {
        File.WriteAllText(Path.Combine(_home.Path, "storage.json"), """{ "mounts": [ { "path": "/", "tier": "hot" }, { "path": "/mnt/does-not-exist", "tier": "cold" } ] }""");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "storage-json-host");

        var run = await cli.RunAsync("snapshot", "storage");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("/mnt/does-not-exist does not exist");
    }

    [Fact]
    public async Task Snapshot_all_records_one_event_per_kind()
    {
        var cli = new CliRun(_db.ConnectionString, _home.Path, "all-host");

        var run = await cli.RunAsync("snapshot", "all", "--json");

        run.ExitCode.ShouldBe(0, run.Err);
        var kinds = JsonDocument.Parse(run.Out).RootElement.EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ToList();
        kinds.ShouldContain("storage-snapshot");
        kinds.ShouldContain("system-snapshot");
    }
}
