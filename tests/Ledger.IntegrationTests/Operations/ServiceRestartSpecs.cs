using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Operations;

public sealed class ServiceRestartSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly TempDirectory _bin = new("ledger-bin");

    public ServiceRestartSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _bin.Dispose();
        _home.Dispose();
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task A_restart_is_recorded_between_two_container_snapshots_with_its_outcome(int exit, bool succeeded)
    {
        var args = Path.Combine(_bin.Path, $"args{exit}");
        var systemctl = FakeProgram.Write(_bin.Path, $"systemctl{exit}", $"#!/bin/sh\necho \"$@\" > '{args}'\necho 'Job for podman-jellyfin.service failed.' >&2\nexit {exit}\n");
        var podman = FakeProgram.Write(_bin.Path, "podman", "#!/bin/sh\ncase \"$1\" in ps) echo '[]' ;; esac\n");
        var host = $"svc-{exit}";
        var cli = new CliRun(_db.ConnectionString, _home.Path, host, new Dictionary<string, string?> { ["LEDGER_SYSTEMCTL"] = systemctl, ["LEDGER_PODMAN"] = podman });

        var run = await cli.RunAsync("service", "restart", "podman-jellyfin.service", "--reason", "transcodes stuck");

        run.ExitCode.ShouldBe(exit, run.Out + run.Err);
        File.ReadAllText(args).Trim().ShouldBe("restart podman-jellyfin.service");
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Limit = null });
        events.Select(e => e.Kind).ShouldBe(["service-restart", "container-snapshot", "container-snapshot"]);
        var restarted = (ServiceRestarted)events[0].Data;
        restarted.Succeeded.ShouldBe(succeeded);
        restarted.BeforeSnapshotSeq.ShouldBe(events[2].Seq);
        restarted.AfterSnapshotSeq.ShouldBe(events[1].Seq);
        restarted.Reason.ShouldBe("transcodes stuck");
    }
}
