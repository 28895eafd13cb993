using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>Issue 18, part 3: in a multi-host flake each commit names the hosts it touches, and the timeline can be read per affected host.</summary>
public sealed class HostTouchImportSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Flake = """
        {
          inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-24.11";
          outputs = { nixpkgs, ... }@inputs: {
            nixosConfigurations = {
              media = nixpkgs.lib.nixosSystem { modules = [ ./hosts/media ]; };
              monitor = nixpkgs.lib.nixosSystem { modules = [ ./hosts/monitor ]; };
            };
          };
        }
        """;

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-hosts");
    private readonly GitRepo _repo = new();
    private readonly string _host = "hosts-" + Guid.NewGuid().ToString("N")[..8];

    private string Media => "media-" + _host;

    private string Monitor => "monitor-" + _host;

    public HostTouchImportSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Each_commit_names_the_hosts_whose_directory_it_changes_and_whether_it_is_shared()
    {
        // Arrange
        _repo.Write("flake.nix", Flake);
        _repo.Write("hosts/media/default.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Write("hosts/monitor/default.nix", "{ services.prometheus.enable = true; }\n");
        _repo.Write("hosts/common/default.nix", "{ time.timeZone = \"UTC\"; }\n");
        _repo.Commit("Two hosts");
        _repo.Write("hosts/media/default.nix", "{ services.jellyfin.enable = true; services.sonarr.enable = true; }\n");
        _repo.Commit("media: sonarr");
        _repo.Write("hosts/common/default.nix", "{ time.timeZone = \"Europe/Berlin\"; }\n");
        _repo.Commit("common: time zone");
        _repo.Write("hosts/monitor/alerts.nix", "{ }\n");
        _repo.Write("hosts/media/gpu.nix", "{ }\n");
        _repo.Commit("Both hosts, nothing shared");
        _repo.Git("mv", "hosts/monitor", "hosts/grafana-box");
        _repo.Commit("Rename monitor (it leaves the flake's names)");

        // Act
        var cli = new CliRun(_db.ConnectionString, _home.Path, _host);
        var run = await cli.RunAsync("import-git", "--repo", _repo.Path, "--host", _host);

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        var data = (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Limit = null }))
            .Reverse().Select(e => (ConfigEdited)e.Data).ToList();
        data.Select(d => (string.Join(',', d.Hosts!), d.Shared)).ShouldBe(
        [
            ("media,monitor", (bool?)true),
            ("media", false),
            ("", true),
            ("media,monitor", false),
            ("monitor", true), // monitor's files left it; hosts/grafana-box is not a host the flake names
        ]);

        var show = await cli.RunAsync("show", (await SeqOfAsync("media: sonarr")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        show.Out.ShouldContain("hosts:   media\n");
    }

    [Fact]
    public async Task Timeline_affects_lists_the_commits_that_touch_the_host_or_shared_files_and_its_own_events()
    {
        // Arrange: host names of this test only (the database is shared by the class).
        _repo.Write("flake.nix", Flake.Replace("media", Media).Replace("monitor", Monitor));
        _repo.Write($"hosts/{Media}/default.nix", "{ }\n");
        _repo.Write($"hosts/{Monitor}/default.nix", "{ }\n");
        _repo.Commit("Two hosts");
        _repo.Write($"hosts/{Media}/default.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Commit("media only");
        _repo.Write($"hosts/{Monitor}/default.nix", "{ services.grafana.enable = true; }\n");
        _repo.Commit("monitor only");
        var cli = new CliRun(_db.ConnectionString, _home.Path, _host);
        (await cli.RunAsync("import-git", "--repo", _repo.Path, "--host", _host)).ExitCode.ShouldBe(0);
        (await cli.RunAsync("annotate", (await SeqOfAsync("monitor only")).ToString(System.Globalization.CultureInfo.InvariantCulture), "--purpose", "grafana")).ExitCode.ShouldBe(0);

        // Act
        var media = await cli.RunAsync("timeline", "--affects", Media, "--kind", "config-edit", "--json");
        var monitor = await cli.RunAsync("timeline", "--affects", Monitor, "--kind", "config-edit", "--json");
        var recorder = await cli.RunAsync("timeline", "--affects", _host, "--json");

        // Assert
        media.ExitCode.ShouldBe(0, media.Err);
        Purposes(media.Out).ShouldBe(["media only", "Two hosts"]);
        Purposes(monitor.Out).ShouldBe(["monitor only", "Two hosts"]);
        Purposes(recorder.Out).ShouldBe(["annotation", "Two hosts"], "the recording host's own events, and the shared commit (flake.nix) of the repository it records; not the commits of one other host");
    }

    [Fact]
    public async Task A_commit_that_only_edits_files_is_read_with_its_own_layout_not_the_one_its_parent_changed_from()
    {
        // Arrange: flake.nix first names one host, then computes them from the folders (naming
        // none), and then a file of the other folder is edited. Found on nix-community/infra.
        _repo.Write("flake.nix", """
            { outputs = { nixpkgs, ... }: { nixosConfigurations = { media = nixpkgs.lib.nixosSystem { modules = [ ./hosts/media ]; }; }; }; }
            """);
        _repo.Write("hosts/media/default.nix", "{ }\n");
        _repo.Write("hosts/backup/default.nix", "{ }\n");
        _repo.Commit("One named host");
        _repo.Write("flake.nix", "{ outputs = inputs: { nixosConfigurations = mkHosts ./hosts; }; }\n");
        _repo.Commit("Hosts from the folders");
        _repo.Write("hosts/backup/default.nix", "{ services.restic.backups.daily = { }; }\n");
        _repo.Commit("backup: restic");

        // Act
        var run = await new CliRun(_db.ConnectionString, _home.Path, _host).RunAsync("import-git", "--repo", _repo.Path, "--host", _host);

        // Assert: as the commit reads by itself (its tree and its parent's both name no host, so every folder is one)
        run.ExitCode.ShouldBe(0, run.Err);
        var last = (ConfigEdited)(await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Limit = 1 }))[0].Data;
        (string.Join(',', last.Hosts!), last.Shared).ShouldBe(("backup", (bool?)false));
    }

    [Fact]
    public async Task Hosts_grouped_by_platform_folders_are_found_without_declared_names()
    {
        // Arrange: nixosConfigurations computed from the folders, so flake.nix names nothing.
        _repo.Write("flake.nix", "{ outputs = inputs: { nixosConfigurations = mkHosts ./hosts; }; }\n");
        _repo.Write("hosts/nixos/ghost/default.nix", "{ }\n");
        _repo.Write("hosts/darwin/macbook/default.nix", "{ }\n");
        _repo.Write("hosts/common/core/default.nix", "{ }\n");
        _repo.Write("systems/x86_64-linux/pi/default.nix", "{ }\n");
        _repo.Commit("Layout");
        _repo.Write("hosts/nixos/ghost/default.nix", "{ services.samba.enable = true; }\n");
        _repo.Write("systems/x86_64-linux/pi/default.nix", "{ services.pihole.enable = true; }\n");
        _repo.Commit("ghost and pi");

        // Act
        var run = await new CliRun(_db.ConnectionString, _home.Path, _host).RunAsync("import-git", "--repo", _repo.Path, "--host", _host);

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        var last = (ConfigEdited)(await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Limit = 1 }))[0].Data;
        (string.Join(',', last.Hosts!), last.Shared).ShouldBe(("ghost,pi", (bool?)false));
    }

    [Fact]
    public async Task Host_directories_set_in_hosts_json_replace_the_layout_found_in_the_repository()
    {
        // Arrange: a layout Ledger would not find by itself.
        _repo.Write("srv/jellyfin-box/configuration.nix", "{ }\n");
        _repo.Write("srv/prom/configuration.nix", "{ }\n");
        _repo.Write("srv/base.nix", "{ }\n");
        _repo.Commit("Two hosts under srv");
        _repo.Write("srv/prom/configuration.nix", "{ services.prometheus.enable = true; }\n");
        _repo.Commit("prometheus");
        File.WriteAllText(Path.Combine(_home.Path, "hosts.json"), """{"hosts": {"media": ["srv/jellyfin-box/"], "monitor": ["srv/prom/"]}}""");
        var env = new Dictionary<string, string?> { ["LEDGER_DB"] = _db.ConnectionString, ["LEDGER_HOME"] = _home.Path, ["LEDGER_HOST"] = _host };

        // Act: a process of its own, since hosts.json is read once per process.
        var run = await CliProcess.RunAsync(env, "import-git", "--repo", _repo.Path);
        File.WriteAllText(Path.Combine(_home.Path, "hosts.json"), """{"hosts": {"media": "srv/jellyfin-box/"}}""");
        var refused = await CliProcess.RunAsync(env, "timeline");

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        var data = (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Limit = null }))
            .Reverse().Select(e => (ConfigEdited)e.Data).ToList();
        data.Select(d => (string.Join(',', d.Hosts!), d.Shared)).ShouldBe([("media,monitor", (bool?)true), ("monitor", false)]);
        refused.ExitCode.ShouldNotBe(0);
        refused.Err.ShouldContain("hosts.json: host 'media' needs a list of paths");
    }

    private async Task<long> SeqOfAsync(string message) =>
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Grep = message, Limit = 1 })).Single().Seq;

    /// <summary>Each config edit's purpose as listed, "annotation" for an annotation.</summary>
    private static string[] Purposes(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(e => e.GetProperty("type").GetString() == "change_annotated" ? "annotation" : e.GetProperty("data").GetProperty("purpose").GetString()!)
            .ToArray();
}
