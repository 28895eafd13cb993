using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

public sealed class DemoSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-demo");

    public DemoSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Demo_creates_a_repository_imports_it_and_shows_the_timeline_and_next_steps()
    {
        var cli = new CliRun(_db.ConnectionString, _home.Path);

        var first = await cli.RunAsync("demo");
        var second = await cli.RunAsync("demo");

        first.ExitCode.ShouldBe(0, first.Err);
        first.Out.ShouldContain("Created a NixOS configuration repository for host 'mediabox' with 8 commits");
        first.Out.ShouldContain("Imported: 8 commits recorded, 0 already recorded.");
        first.Out.ShouldContain("Enable NVIDIA GPU for Jellyfin transcoding");
        first.Out.ShouldContain("Try next:");
        first.Out.ShouldContain("FAIL   containers");
        first.Out.ShouldContain("4 of 5 checks passed");
        first.Out.ShouldContain("nvidia-smi, podman and nix are stand-ins that print");
        first.Out.ShouldMatch(@"gpu-snapshot \([^)]*\) \[stand-in\]");
        first.Out.ShouldContain($"ledger tui --host mediabox --config {Path.Combine(_home.Path, "demo", "checks.json")}");
        first.Out.ShouldContain("Deployed");
        first.Out.ShouldContain("was ROLLED BACK");
        first.Out.ShouldContain("Restored ");
        first.Out.ShouldContain("GpuTemperatureHigh firing        -> 200 {\"recorded\": 1, \"duplicates\": 0}");
        first.Out.ShouldContain("the same notification repeated   -> 200 {\"recorded\": 0, \"duplicates\": 1}");
        first.Out.ShouldContain("alert_resolved: GpuTemperatureHigh resolved");
        second.Out.ShouldContain("delete that folder to see it again");
        var deploys = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "mediabox", Kinds = ["deploy"], Limit = null }))
            .Select(e => e.Data).OfType<DeployFinished>().Select(d => d.Outcome).ToList();
        deploys.ShouldBe([DeployOutcome.RolledBack, DeployOutcome.Succeeded]);
        var restores = await _db.Store.TimelineAsync(new TimelineQuery { Host = "mediabox", Kinds = ["restore"], Limit = null });
        restores.Count(e => e.Type == "restore_completed").ShouldBe(2, "the automatic rollback and the restore to an earlier event");
        restores.ShouldNotContain(e => e.Type == "restore_failed");
        var validations = await _db.Store.TimelineAsync(new TimelineQuery { Host = "mediabox", Kinds = ["validation"], Limit = null });
        validations.Count(v => v.Title.StartsWith("containers: fail", StringComparison.Ordinal)).ShouldBe(2, "radarr crashing before its fix, the broken jellyfin release candidate");
        foreach (var kind in new[] { "gpu-snapshot", "container-snapshot", "storage-snapshot", "system-snapshot" })
        {
            (await _db.Store.TimelineAsync(new TimelineQuery { Host = "mediabox", Kinds = [kind] })).ShouldNotBeEmpty(kind);
        }

        second.Out.ShouldContain("Imported: 0 commits recorded,");
        var alerts = await _db.Store.TimelineAsync(new TimelineQuery { Host = "mediabox", Kinds = ["alert"], Limit = null });
        alerts.Count.ShouldBe(4, "one firing and one resolved per run; the repeats add nothing");
        var rows = await _db.Store.TimelineAsync(new TimelineQuery { Host = "mediabox", Kinds = ["config-edit"], Limit = null });
        rows.Count.ShouldBe(13, "8 demo commits, 2 deploys, the rollback commit, the experiment and the restore commit");
        Directory.Exists(Path.Combine(_home.Path, "demo", "nixos-config", ".git")).ShouldBeTrue();
        first.Out.ShouldContain("Change docs (13 and INDEX.md): " + Path.Combine(_home.Path, "demo", "docs"));
        first.Out.ShouldContain("Monthly report: " + Path.Combine(_home.Path, "demo", "reports", "mediabox-"));
        Directory.GetFiles(Path.Combine(_home.Path, "demo", "docs"), "*.md").Length.ShouldBe(14);
        Directory.GetFiles(Path.Combine(_home.Path, "demo", "reports"), "mediabox-*.html").ShouldHaveSingleItem();
    }
}
