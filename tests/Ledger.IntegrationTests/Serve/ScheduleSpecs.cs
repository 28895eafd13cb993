using Ledger.App.Daemon;
using Ledger.App.Demo;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

public sealed class ScheduleSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly string[] SnapshotTypes = ["gpu_snapshot_taken", "container_snapshot_taken", "storage_snapshot_taken", "system_snapshot_taken"];

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve-sched");
    private readonly TempDirectory _bin = new("ledger-serve-bin");
    private readonly GitRepo _repo = new();

    public ScheduleSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _bin.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Short_intervals_record_gpu_container_storage_and_system_snapshots_with_the_programs_from_the_environment()
    {
        // Arrange: podman and nvidia-smi stand-ins (real output formats) named by LEDGER_PODMAN / LEDGER_NVIDIA_SMI.
        var bin = DemoFakes.Install(_bin.Path);
        var env = new Dictionary<string, string?>
        {
            ["LEDGER_PODMAN"] = Path.Combine(bin, "podman"),
            ["LEDGER_NVIDIA_SMI"] = Path.Combine(bin, "nvidia-smi"),
            ["LEDGER_NVML_DISABLE"] = "1",
        };
        var settings = new ServeSettings { Intervals = TestServe.AllOff with { Gpu = 1, Containers = 1, Storage = 1, System = 1 } };

        // Act
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "sched-snap", settings, env: env);
        var events = await TestServe.WaitForEventsAsync(
            _db.Store,
            "sched-snap",
            e => SnapshotTypes.All(t => e.Count(x => x.Type == t) >= 2),
            why: "two snapshots of each kind");

        // Assert
        events.Select(e => e.Data).OfType<GpuSnapshotTaken>().First().Gpus.ShouldHaveSingleItem().Name.ShouldBe("NVIDIA L40S");
        events.Select(e => e.Data).OfType<ContainerSnapshotTaken>().First().Containers.Select(c => c.Name).ShouldContain("jellyfin");
        events.ShouldAllBe(e => e.Actor == "ledger-serve");
        serve.Log.ShouldContain("snapshot-gpu: #");
    }

    [Fact]
    public async Task A_job_that_keeps_failing_warns_once_and_the_others_go_on()
    {
        // Arrange
        var env = new Dictionary<string, string?> { ["LEDGER_PODMAN"] = Path.Combine(_bin.Path, "no-such-podman") };
        var settings = new ServeSettings { Intervals = TestServe.AllOff with { Containers = 1, System = 1 } };

        // Act
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "sched-fail", settings, env: env);
        await TestServe.WaitForEventsAsync(_db.Store, "sched-fail", e => e.Count(x => x.Type == "system_snapshot_taken") >= 3, why: "system snapshots");

        // Assert
        serve.Log.Split('\n').Count(l => l.Contains("[WRN] snapshot-containers failed", StringComparison.Ordinal)).ShouldBe(1, serve.Log);
        serve.Log.ShouldContain("snapshot-containers failed again");
    }

    [Fact]
    public async Task Git_watch_records_the_history_then_each_commit_made_outside_ledger()
    {
        // Arrange
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial configuration");
        var settings = new ServeSettings { Repo = _repo.Path, Intervals = TestServe.AllOff with { Git = 1 } };
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "sched-git", settings);
        await TestServe.WaitForEventsAsync(_db.Store, "sched-git", e => e.Any(x => x.Type == "config_edited"), why: "the first commit");

        // Act: a commit made by hand, without the hook.
        _repo.Write("configuration.nix", "{ services.jellyfin.enable = true; }\n");
        var sha = _repo.Commit("Enable jellyfin");
        var events = await TestServe.WaitForEventsAsync(_db.Store, "sched-git", e => e.Count(x => x.Type == "config_edited") == 2, why: "the second commit");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        // Assert
        var edits = (await TestServe.WaitForEventsAsync(_db.Store, "sched-git", _ => true)).Where(e => e.Type == "config_edited").ToList();
        edits.Count.ShouldBe(2, "unchanged HEAD records nothing more");
        edits[0].Data.ShouldBeOfType<ConfigEdited>().Sha.ShouldBe(sha);
        events.ShouldAllBe(e => e.Actor == "ledger-serve");
        serve.Log.ShouldContain("1 new commits recorded");
    }

    [Fact]
    public async Task Scheduled_validations_run_the_checklist_and_sealing_chains_what_was_recorded()
    {
        // Arrange
        var checks = Path.Combine(_home.Path, "serve-checks.json");
        await File.WriteAllTextAsync(checks, """{ "checks": [ { "name": "disk-root", "kind": "disk", "mount": "/", "maxUsedPercent": 100 } ] }""");
        var settings = new ServeSettings { Checks = checks, Repo = _repo.Path, Intervals = TestServe.AllOff with { Validate = 1, Seal = 1 } };

        // Act
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "sched-validate", settings);
        var events = await TestServe.WaitForEventsAsync(_db.Store, "sched-validate", e => e.Any(x => x.Type == "validation_run"), why: "a validation");
        var validation = events.First(e => e.Type == "validation_run");
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((await _db.Store.Chain.HeadAsync()).Seq < validation.Seq && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        // Assert
        var run = validation.Data.ShouldBeOfType<ValidationRun>();
        run.Check.ShouldBe("disk-root");
        run.Status.ShouldBe(ValidationStatus.Pass);
        (await _db.Store.Chain.HeadAsync()).Seq.ShouldBeGreaterThanOrEqualTo(validation.Seq, serve.Log);
        serve.Log.ShouldContain("seal: sealed ");
        serve.Jobs.Select(j => j.Name).ShouldBe(["validate", "seal"]);
    }
}
