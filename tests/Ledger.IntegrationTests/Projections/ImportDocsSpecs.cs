using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Projections;

public sealed class ImportDocsSpecs : IClassFixture<ProjectionFixture>, IDisposable
{
    private readonly ProjectionFixture _fixture;
    private readonly TempDirectory _home = new("ledger-imp");
    private readonly TempDirectory _docs = new("ledger-handdocs");

    public ImportDocsSpecs(ProjectionFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose()
    {
        _docs.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Hand_written_docs_become_annotations_of_their_changes_and_malformed_ones_are_reported_not_guessed()
    {
        Write("2026/gpu-transcoding.md", """
            ### NVIDIA transcoding for Jellyfin

            - **Date**: 2026-03-14
            - **Purpose**: 4K HEVC streams were transcoded on the CPU and stuttered
            - **Files/Lines Modified**: /etc/nixos/configuration.nix (lines 12-18), /etc/nixos/modules/gpu.nix (new)
            - **How to Roll Back**: `git revert b0b0b0b` then `nixos-rebuild switch`
            - **Validation**: played a 4K file on the living room TV, `nvidia-smi` showed NVENC busy
            - **Notes**: https://wiki.nixos.org/wiki/Jellyfin
            """);
        Write("initial.md", """
            ### First configuration

            - **Date:** 2026-03-02
            - **Purpose:** Base system for the media server
            - **Files/Lines Modified:** /etc/nixos/configuration.nix
            - **How to Roll Back:** reinstall
            - **Validation:** booted
            - **Notes:** none
            """);
        Write("CHANGELOG.md", """
            # Changes

            ### Longer Prometheus retention

            - **Date**: 2026-04-01
            - **Purpose**: Keep 90 days of metrics for the monthly review
            - **Files/Lines Modified**: modules/monitoring.nix
            - **How to Roll Back**: git checkout d00dd00d~1 -- modules/monitoring.nix
            - **Validation**: Grafana shows data from 60 days ago
            - **Notes**:
              - retention.time = "90d"
              - disk use checked

            ### Firewall change

            - **Date**: 2026-03-14
            - **Purpose**: LAN access
            - **Files/Lines Modified**: configuration.nix
            - **How to Roll Back**: git revert b2b2b2b
            - **Validation**: curl from the laptop
            """);
        Write("bad-date.md", """
            ### Tweak sonarr

            - **Date**: last Tuesday
            - **Purpose**: faster RSS sync
            - **Files/Lines Modified**: configuration.nix
            - **How to Roll Back**: git revert HEAD
            - **Validation**: looked fine
            - **Notes**: none
            """);
        Write("unknown-commit.md", """
            ### Something from before Ledger

            - **Date**: 2025-11-02
            - **Purpose**: old change
            - **Files/Lines Modified**: configuration.nix
            - **How to Roll Back**: git revert deadbee
            - **Validation**: none
            - **Notes**: none
            """);
        Write("ambiguous.md", """
            ### Edit of the day

            - **Date**: 2026-03-14
            - **Purpose**: one of two edits that day
            - **Files/Lines Modified**: /etc/nixos/configuration.nix
            - **How to Roll Back**: cp configuration.nix.backup configuration.nix
            - **Validation**: none
            - **Notes**: none
            """);
        Write("notes.md", "Just some notes, not a change doc.\n");
        var cli = new CliRun(_fixture.Db.ConnectionString, _home.Path, ProjectionFixture.Importer);

        var first = await cli.RunAsync("import-docs", _docs.Path, "--time-zone", "Europe/Berlin");
        var second = await cli.RunAsync("import-docs", _docs.Path, "--time-zone", "Europe/Berlin");

        first.ExitCode.ShouldBe(1, first.Out + first.Err);
        first.Out.ShouldContain("3 imported, 0 already imported, 5 reported (not imported).");
        first.Out.ShouldContain("imported 2026/gpu-transcoding.md:1 'NVIDIA transcoding for Jellyfin' -> #");
        first.Out.ShouldContain("imported initial.md:1 'First configuration' -> #");
        first.Out.ShouldContain("imported CHANGELOG.md:3 'Longer Prometheus retention' -> #");
        first.Out.ShouldContain("REPORTED CHANGELOG.md:14: 'Firewall change' lacks **Notes**:");
        first.Out.ShouldContain("REPORTED bad-date.md:1: 'Tweak sonarr': Date 'last Tuesday' is not YYYY-MM-DD");
        first.Out.ShouldContain("REPORTED unknown-commit.md:1: 'Something from before Ledger': no recorded commit starts with deadbee");
        first.Out.ShouldContain("REPORTED ambiguous.md:1: 'Edit of the day': 2 recorded changes on 2026-03-14 touch /etc/nixos/configuration.nix");
        first.Out.ShouldContain("REPORTED notes.md:1: no change entry");
        second.Out.ShouldContain("0 imported, 3 already imported, 5 reported (not imported).");

        var notes = (await _fixture.Db.Store.TimelineAsync(new TimelineQuery { Host = ProjectionFixture.Importer, Kinds = ["annotation"], Limit = null }))
            .Where(e => ((ChangeAnnotated)e.Data).Notes?.Contains("imported from", StringComparison.OrdinalIgnoreCase) == true)
            .ToDictionary(e => ((ChangeAnnotated)e.Data).Sha!, e => (ChangeAnnotated)e.Data);
        notes.Keys.Order().ShouldBe([ProjectionHistory.ShaA, ProjectionHistory.ShaB, ProjectionHistory.ShaD]);
        notes[ProjectionHistory.ShaB].Purpose.ShouldBe("4K HEVC streams were transcoded on the CPU and stuttered");
        notes[ProjectionHistory.ShaB].Validation.ShouldBe("played a 4K file on the living room TV, nvidia-smi showed NVENC busy");
        notes[ProjectionHistory.ShaB].Notes.ShouldBe("https://wiki.nixos.org/wiki/Jellyfin\n(imported from 2026/gpu-transcoding.md)");
        notes[ProjectionHistory.ShaA].Notes.ShouldBe("Imported from initial.md");
        notes[ProjectionHistory.ShaA].Validation.ShouldBe("booted");
        notes[ProjectionHistory.ShaD].Notes.ShouldBe("- retention.time = \"90d\"\n- disk use checked\n(imported from CHANGELOG.md)");

        var docs = Path.Combine(_home.Path, "docs");
        (await cli.RunAsync("docs", "--out", docs, "--time-zone", "Europe/Berlin")).ExitCode.ShouldBe(0);
        var b = await File.ReadAllTextAsync(Directory.GetFiles(docs, "*-b0b0b0b0-*.md").Single());
        b.ShouldContain("- **Purpose**: 4K HEVC streams were transcoded on the CPU and stuttered\n");
        var again = await cli.RunAsync("import-docs", docs, "--time-zone", "Europe/Berlin");
        again.Out.ShouldContain("6 written by Ledger skipped");
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(_docs.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }
}
