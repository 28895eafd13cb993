using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// Issue 18, part 2: a deploy and a restore record what the switch changed, read through a
/// stand-in nix that replays real <c>nix store diff-closures</c> output (tests/fixtures/nix) and a
/// generation's own nixos-version.
/// </summary>
public sealed class PackageChangeSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-pkg-home");
    private readonly TempDirectory _bin = new("ledger-pkg-bin");
    private readonly GitRepo _repo = new();
    private readonly string _profiles;
    private readonly string _nixArgs;
    private readonly string _host = "pkg-" + Guid.NewGuid().ToString("N")[..8];

    public PackageChangeSpecs(DatabaseFixture db)
    {
        _db = db;
        _profiles = Path.Combine(_bin.Path, "profiles");
        _nixArgs = Path.Combine(_bin.Path, "nix-args");
        Directory.CreateDirectory(Path.Combine(_profiles, "system-41-link"));
        File.CreateSymbolicLink(Path.Combine(_profiles, "system"), "system-41-link");
    }

    public void Dispose()
    {
        _repo.Dispose();
        _bin.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task A_deploy_records_the_generations_the_package_changes_and_the_new_systems_version()
    {
        // Arrange
        _repo.Write("configuration.nix", "{ system.stateVersion = \"24.05\"; }\n");
        _repo.Commit("24.05");
        var cli = Cli();
        _repo.Write("configuration.nix", "{ system.stateVersion = \"24.11\"; }\n");

        // Act
        var run = await cli.RunAsync("deploy", "-m", "Move to 24.11", "--repo", _repo.Path, "--no-validate");

        // Assert
        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        var finished = await LastAsync<DeployFinished>();
        (finished.FromGeneration, finished.Generation).ShouldBe((41, (int?)42));
        File.ReadAllText(_nixArgs).Trim().ShouldBe($"--extra-experimental-features nix-command store diff-closures {_profiles}/system-41-link {_profiles}/system-42-link");
        var byName = finished.PackageChanges.ShouldNotBeNull().ToDictionary(p => p.Name);
        byName.Keys.Order(StringComparer.Ordinal).ShouldBe(["etc", "ffmpeg", "ffmpeg-headless", "jellyfin", "linux", "nixos-system-media", "nvidia-x11", "radarr", "sonarr", "unit-script-old", "zstd"]);
        (byName["jellyfin"].OldVersions.Single(), byName["jellyfin"].NewVersions.Single(), byName["jellyfin"].SizeDeltaBytes).ShouldBe(("10.9.11", "10.10.3", (long?)20480));
        byName["ffmpeg"].OldVersions.ShouldBe(["6.1.1", "7.0.2"]);
        byName["radarr"].OldVersions.ShouldBeEmpty();
        byName["sonarr"].NewVersions.ShouldBeEmpty();
        byName["unit-script-old"].OldVersions.ShouldBe([""]);
        (byName["zstd"].OldVersions.Count, byName["zstd"].SizeDeltaBytes).ShouldBe((0, (long?)20480));
        byName["nvidia-x11"].SizeDeltaBytes.ShouldBeNull();
        (finished.NixosVersion, finished.NixpkgsRevision).ShouldBe(("24.11.20241120.1234567", "1234567890abcdef1234567890abcdef12345678"));
        finished.ConfigurationRevision.ShouldBe(_repo.Head(), "the generation names the commit it was built from");
        finished.SystemProblem.ShouldBeNull();
        run.Out.ShouldContain("Packages (generation 41 → 42): 9 with a new version, 2 only in size: ffmpeg 6.1.1, 7.0.2 → 7.1, +ffmpeg-headless 7.1, jellyfin 10.9.11 → 10.10.3");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Types = ["deploy_finished"], Limit = 1 }))[0].Title
            .ShouldEndWith("(ffmpeg 6.1.1, 7.0.2 → 7.1, +ffmpeg-headless 7.1 and 7 more packages)");
    }

    [Fact]
    public async Task A_restore_records_what_its_switch_changed_and_a_missing_nix_is_a_reason_not_a_failure()
    {
        // Arrange
        _repo.Write("configuration.nix", "{ a = 1; }\n");
        _repo.Commit("Known good");
        var cli = Cli();
        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var good = (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Limit = 1 }))[0].Seq;
        _repo.Write("configuration.nix", "{ a = 2; }\n");
        (await cli.RunAsync("deploy", "-m", "Change", "--repo", _repo.Path, "--no-validate")).ExitCode.ShouldBe(0);

        // Act
        var restore = await cli.RunAsync("restore", "--to", good.ToString(System.Globalization.CultureInfo.InvariantCulture), "--repo", _repo.Path, "--yes");
        _repo.Write("configuration.nix", "{ a = 3; }\n");
        var withoutNix = await Cli(nix: Path.Combine(_bin.Path, "no-nix-here")).RunAsync("deploy", "-m", "Without nix", "--repo", _repo.Path, "--no-validate");

        // Assert
        restore.ExitCode.ShouldBe(0, restore.Out + restore.Err);
        var completed = await LastAsync<RestoreCompleted>();
        (completed.FromGeneration, completed.Generation).ShouldBe((42, (int?)43));
        completed.PackageChanges.ShouldNotBeNull().ShouldContain(p => p.Name == "jellyfin");
        completed.ConfigurationRevision.ShouldBe(completed.NewCommit);
        withoutNix.ExitCode.ShouldBe(0, "package changes are a record of the switch, not a condition of it");
        var last = await LastAsync<DeployFinished>();
        (last.FromGeneration, last.Generation, last.PackageChanges).ShouldBe((43, (int?)44, null));
        last.SystemProblem.ShouldNotBeNull().ShouldContain("no-nix-here could not be started");
        last.NixosVersion.ShouldBe("24.11.20241120.1234567", "the version is read even when the closure difference cannot be");
    }

    [Fact]
    public async Task A_switch_ledger_did_not_make_is_recorded_once_as_a_generation_with_its_package_changes()
    {
        // Arrange
        var cli = Cli();
        var first = await cli.RunAsync("record", "generation");
        Directory.CreateDirectory(Path.Combine(_profiles, "system-42-link"));
        File.Delete(Path.Combine(_profiles, "system"));
        File.CreateSymbolicLink(Path.Combine(_profiles, "system"), "system-42-link"); // nixos-rebuild switch by hand

        // Act
        var second = await cli.RunAsync("record", "generation");
        var again = await cli.RunAsync("record", "generation");

        // Assert
        first.ExitCode.ShouldBe(0, first.Err);
        second.ExitCode.ShouldBe(0, second.Err);
        var generations = (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["generation"], Limit = null })).Reverse().ToList();
        generations.Count.ShouldBe(2, "the same generation is recorded once");
        var seen = (GenerationActivated)generations[0].Data;
        (seen.FromGeneration, seen.Generation, seen.PackageChanges).ShouldBe((null, 41, null));
        seen.SystemProblem.ShouldNotBeNull().ShouldContain("no earlier generation");
        var switched = (GenerationActivated)generations[1].Data;
        (switched.FromGeneration, switched.Generation).ShouldBe((41, 42));
        switched.PackageChanges.ShouldNotBeNull().Count.ShouldBe(11);
        generations[1].Title.ShouldStartWith("generation 41 → 42 activated (ffmpeg 6.1.1, 7.0.2 → 7.1");
        again.Out.ShouldContain("Generation 42 is already recorded");
    }

    [Fact]
    public async Task A_deploys_own_generation_is_not_recorded_again_by_the_watch()
    {
        _repo.Write("configuration.nix", "{ }\n");
        var cli = Cli();
        (await cli.RunAsync("deploy", "-m", "Deploy", "--repo", _repo.Path, "--no-validate")).ExitCode.ShouldBe(0);

        var look = await cli.RunAsync("record", "generation");

        look.Out.ShouldContain("Generation 42 is already recorded");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["generation"] })).ShouldBeEmpty();
    }

    [Fact]
    public async Task With_nvd_configured_its_diff_is_read_instead_of_nix()
    {
        // Arrange: a stand-in nvd printing nvd's format (written here; nvd is not in Debian).
        var nvdArgs = Path.Combine(_bin.Path, "nvd-args");
        var nvd = FakeProgram.Write(_bin.Path, "nvd", $"""
            #!/bin/sh
            echo "$@" > '{nvdArgs}'
            echo "<<< $2"
            echo ">>> $3"
            echo "Version changes:"
            echo "[U.]  #1  jellyfin  10.9.11 -> 10.10.3"
            echo "Closure size: 10 -> 10 (1 paths added, 1 paths removed, delta +0, disk usage +1.0KiB)."

            """);
        _repo.Write("configuration.nix", "{ }\n");
        var cli = Cli(extra: new Dictionary<string, string?> { ["LEDGER_NVD"] = nvd });

        // Act
        var run = await cli.RunAsync("deploy", "-m", "With nvd", "--repo", _repo.Path, "--no-validate");

        // Assert
        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        File.ReadAllText(nvdArgs).Trim().ShouldBe($"diff {_profiles}/system-41-link {_profiles}/system-42-link");
        File.Exists(_nixArgs).ShouldBeFalse("nix is not asked when nvd is configured");
        var finished = await LastAsync<DeployFinished>();
        finished.PackageChanges.ShouldNotBeNull().ShouldHaveSingleItem().Phrase.ShouldBe("jellyfin 10.9.11 → 10.10.3");
        finished.SystemProblem.ShouldBeNull();
    }

    [Fact]
    public async Task A_test_deploy_makes_no_generation_and_says_so_instead_of_no_change()
    {
        _repo.Write("configuration.nix", "{ }\n");

        var run = await Cli().RunAsync("deploy", "-m", "Try it", "--action", "test", "--repo", _repo.Path, "--no-validate");

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        var finished = await LastAsync<DeployFinished>();
        (finished.Generation, finished.PackageChanges).ShouldBe(((int?)41, null));
        finished.SystemProblem.ShouldNotBeNull().ShouldContain("nixos-rebuild test makes no generation");
        File.Exists(_nixArgs).ShouldBeFalse();
    }

    private CliRun Cli(string? nix = null, Dictionary<string, string?>? extra = null)
    {
        var fixture = Path.Combine(Checkout.Root, "tests", "fixtures", "nix", "diff-closures-24.05-to-24.11.txt");
        var fakeNix = FakeProgram.Write(_bin.Path, "nix", $"#!/bin/sh\necho \"$@\" > '{_nixArgs}'\ncat '{fixture}'\n");

        // nixos-rebuild makes a new generation whose own nixos-version names the commit it was built from.
        var rebuild = FakeProgram.Write(_bin.Path, "nixos-rebuild", $$"""
            #!/bin/sh
            # Like nixos-rebuild: only switch and boot make a generation.
            case "$1" in switch|boot) ;; *) echo "activating the configuration..."; exit 0 ;; esac
            n=$(ls '{{_profiles}}' | grep -c -- '-link$'); n=$((n + 41))
            mkdir -p '{{_profiles}}'/system-$n-link/sw/bin
            d='{{_profiles}}'/system-$n-link/sw/bin
            echo "{\"nixosVersion\":\"24.11.20241120.1234567\",\"nixpkgsRevision\":\"1234567890abcdef1234567890abcdef12345678\",\"configurationRevision\":\"$(git rev-parse HEAD)\"}" > "$d/version.json"
            printf '#!/bin/sh\ncat "%s"\n' "$d/version.json" > "$d/nixos-version"
            chmod +x "$d/nixos-version"
            ln -sfn system-$n-link '{{_profiles}}'/system
            echo "activating the configuration..."

            """);
        var env = new Dictionary<string, string?>
        {
            ["LEDGER_NIXOS_REBUILD"] = rebuild,
            ["LEDGER_SYSTEM_PROFILE"] = Path.Combine(_profiles, "system"),
            ["LEDGER_NIX"] = nix ?? fakeNix,
        };
        foreach (var (name, value) in extra ?? [])
        {
            env[name] = value;
        }

        return new CliRun(_db.ConnectionString, _home.Path, _host, env);
    }

    private async Task<T> LastAsync<T>() =>
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Limit = 50 })).Select(e => e.Data).OfType<T>().First();
}
