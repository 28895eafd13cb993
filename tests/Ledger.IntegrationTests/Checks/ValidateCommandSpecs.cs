using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Checks;

/// <summary><c>ledger validate</c> end to end: checklist file, real HTTP server, fake podman and nixos-rebuild, recorded events, exit codes.</summary>
public sealed class ValidateCommandSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly TempDirectory _bin = new("ledger-bin");

    public ValidateCommandSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _bin.Dispose();
        _home.Dispose();
    }

    private CliRun Cli(string host) => new(_db.ConnectionString, _home.Path, host);

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_home.Path, "checks.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public async Task A_failing_check_exits_1_and_every_check_is_recorded_with_the_config_commit()
    {
        await using var server = new FixedHttpServer(path => path == "/api/health"
            ? FixedHttpServer.Response(200, "OK", "{\"database\": \"ok\"}")
            : FixedHttpServer.Response(503, "Service Unavailable", "down"));
        using var repo = new GitRepo();
        repo.Write("configuration.nix", "{ }\n");
        var sha = repo.Commit("Initial");
        WriteConfig($$"""
            { "checks": [
              { "name": "grafana", "kind": "http", "url": "{{server.Url("/api/health")}}", "contains": "\"database\": \"ok\"" },
              { "name": "dashboard-8501", "kind": "http", "url": "{{server.Url("/")}}" },
              { "name": "disk-root", "kind": "disk", "mount": "/", "maxUsedPercent": 100 }
            ] }
            """);

        var run = await Cli("validate-host").RunAsync("validate", "--repo", repo.Path, "--json");

        run.ExitCode.ShouldBe(1, run.Err);
        var rows = JsonDocument.Parse(run.Out).RootElement.EnumerateArray().ToList();
        rows.Count.ShouldBe(3);
        rows.ShouldAllBe(r => r.GetProperty("seq").GetInt64() > 0 && r.GetProperty("kind").GetString() == "validation");
        var runs = rows.Select(r => JsonSerializer.Deserialize<ValidationRun>(r.GetProperty("data").GetRawText(), EventJson.Options)!).ToList();
        runs.Select(v => (v.Check, v.Status)).ShouldBe([("grafana", ValidationStatus.Pass), ("dashboard-8501", ValidationStatus.Fail), ("disk-root", ValidationStatus.Pass)]);
        runs.ShouldAllBe(v => v.ConfigCommit == sha);
        runs.Select(v => v.RunId).Distinct().Count().ShouldBe(1, "one run id ties the checks of one validation together");
        runs[1].Summary.ShouldContain("503");
    }

    [Fact]
    public async Task Check_selects_by_name_and_all_passing_exits_0()
    {
        WriteConfig("""
            { "checks": [
              { "name": "disk-root", "kind": "disk", "mount": "/", "maxUsedPercent": 100 },
              { "name": "disk-strict", "kind": "disk", "mount": "/", "maxUsedPercent": 0 }
            ] }
            """);

        var run = await Cli("select-host").RunAsync("validate", "--check", "disk-root");

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        run.Out.ShouldContain("PASS");
        run.Out.ShouldContain("1 of 1 check passed");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "select-host", Kinds = ["validation"] })).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_check_that_cannot_run_exits_2_unless_another_failed()
    {
        WriteConfig("""{ "checks": [ { "name": "cold", "kind": "disk", "mount": "/mnt/not-attached-here", "maxUsedPercent": 90 } ] }""");

        var run = await Cli("error-host").RunAsync("validate");

        run.ExitCode.ShouldBe(2);
        run.Out.ShouldContain("ERROR");
        var recorded = (ValidationRun)(await _db.Store.TimelineAsync(new TimelineQuery { Host = "error-host" })).Single().Data;
        recorded.Status.ShouldBe(ValidationStatus.Error);
    }

    [Fact]
    public async Task A_bad_checklist_exits_2_naming_the_field_and_records_nothing()
    {
        var config = WriteConfig("""{ "checks": [ { "name": "grafana", "kind": "http", "url": "http://127.0.0.1:3000", "expectStatus": "ok" } ] }""");
        var cli = Cli("bad-config-host");

        var wrongType = await cli.RunAsync("validate", "--config", config);
        var missing = await cli.RunAsync("validate", "--config", Path.Combine(_home.Path, "nope.json"));
        WriteConfig("""{ "checks": [ { "name": "x", "kind": "htpp", "url": "http://x" } ] }""");
        var unknownKind = await cli.RunAsync("validate");

        wrongType.ExitCode.ShouldBe(2);
        wrongType.Err.ShouldContain("\"expectStatus\"");
        wrongType.Err.ShouldContain("grafana");
        missing.ExitCode.ShouldBe(2);
        missing.Err.ShouldContain("--example-config");
        unknownKind.ExitCode.ShouldBe(2);
        unknownKind.Err.ShouldContain("unknown kind \"htpp\"");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "bad-config-host" })).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_example_config_is_a_checklist_validate_accepts()
    {
        var cli = Cli("example-host");
        var example = await cli.RunAsync("validate", "--example-config");
        var path = WriteConfig(example.Out);

        // Only the disk check runs here; parsing the whole example must succeed first.
        var run = await cli.RunAsync("validate", "--config", path, "--check", "disk-root");

        example.ExitCode.ShouldBe(0);
        run.ExitCode.ShouldBe(0, run.Err);
    }

    [Fact]
    public async Task Parse_only_lists_the_checks_in_order_without_running_them_or_opening_a_database()
    {
        var config = WriteConfig("""
            { "checks": [
              { "name": "rebuild", "kind": "nixos-rebuild", "mode": "test" },
              { "name": "disk-strict", "kind": "disk", "mount": "/", "maxUsedPercent": 0 }
            ] }
            """);
        // A database that cannot be reached: any attempt to open it would exit 2.
        var cli = new CliRun("Host=/nonexistent/ledger-socket;Username=nobody;Database=nowhere;Timeout=1", _home.Path, "parse-only-host");

        var text = await cli.RunAsync("validate", "--config", config, "--parse-only");
        var json = await cli.RunAsync("validate", "--config", config, "--parse-only", "--json");

        text.ExitCode.ShouldBe(0, text.Err);
        text.Out.ShouldContain("2 checks");
        text.Out.IndexOf("rebuild", StringComparison.Ordinal).ShouldBeLessThan(text.Out.IndexOf("disk-strict", StringComparison.Ordinal));
        text.Out.ShouldContain("nixos-rebuild");
        json.ExitCode.ShouldBe(0, json.Err);
        JsonDocument.Parse(json.Out).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("kind").GetString()))
            .ShouldBe([("rebuild", "nixos-rebuild"), ("disk-strict", "disk")]);
    }

    [Fact]
    public async Task Parse_only_exits_2_naming_the_bad_field()
    {
        var config = WriteConfig("""{ "checks": [ { "name": "cold", "kind": "disk", "mount": "/mnt/cold", "maxUsedPercent": "95%" } ] }""");
        var cli = new CliRun("Host=/nonexistent/ledger-socket;Username=nobody;Database=nowhere;Timeout=1", _home.Path, "parse-only-host");

        var run = await cli.RunAsync("validate", "--config", config, "--parse-only");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("\"maxUsedPercent\"");
        run.Err.ShouldContain("cold");
    }

    [Fact]
    public async Task Nixos_rebuild_runs_the_program_with_the_mode_and_flake_and_a_failure_is_recorded()
    {
        var argsFile = Path.Combine(_bin.Path, "args");
        var fake = FakeProgram.Write(_bin.Path, "nixos-rebuild", $"#!/bin/sh\necho \"$@\" > '{argsFile}'\necho 'error: builder for /nix/store/x.drv failed'\nexit 1\n");
        WriteConfig("""{ "checks": [ { "name": "rebuild", "kind": "nixos-rebuild", "mode": "dry-build", "flake": ".#mediabox", "repo": "/tmp" } ] }""");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "rebuild-host", new Dictionary<string, string?> { ["LEDGER_NIXOS_REBUILD"] = fake });

        var run = await cli.RunAsync("validate");

        run.ExitCode.ShouldBe(1, run.Out + run.Err);
        File.ReadAllText(argsFile).Trim().ShouldBe("dry-build --flake .#mediabox");
        var v = (ValidationRun)(await _db.Store.TimelineAsync(new TimelineQuery { Host = "rebuild-host" })).Single().Data;
        v.Status.ShouldBe(ValidationStatus.Fail);
        v.Output.ShouldNotBeNull().ShouldContain("builder for /nix/store/x.drv failed");
    }

    [Fact]
    public async Task The_containers_check_names_a_restart_loop_seen_between_two_validations()
    {
        var countFile = Path.Combine(_bin.Path, "restarts");
        File.WriteAllText(countFile, "0");
        var fake = FakeProgram.Write(_bin.Path, "podman", """
            #!/bin/sh
            case "$1" in
              ps) echo '[{"Id":"aaa","Names":["jellyfin"],"Image":"docker.io/jellyfin/jellyfin:10.10","State":"running","Status":"Up 1 hour","StartedAt":1795600000,"Ports":null}]' ;;
              inspect) echo "[{\"Id\":\"aaa\",\"RestartCount\":$(cat 'COUNT_FILE'),\"State\":{\"Status\":\"running\",\"Health\":{\"Status\":\"\"}}}]" ;;
            esac
            """.Replace("COUNT_FILE", countFile, StringComparison.Ordinal));
        WriteConfig("""{ "checks": [ { "name": "containers", "kind": "containers", "expected": ["jellyfin"], "maxRestarts": 3 } ] }""");
        var cli = new CliRun(_db.ConnectionString, _home.Path, "loop-host", new Dictionary<string, string?> { ["LEDGER_PODMAN"] = fake });

        var first = await cli.RunAsync("validate");
        File.WriteAllText(countFile, "5");
        var second = await cli.RunAsync("validate");

        first.ExitCode.ShouldBe(0, first.Out + first.Err);
        second.ExitCode.ShouldBe(1, second.Out);
        second.Out.ShouldContain("jellyfin");
        second.Out.ShouldContain("5");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "loop-host", Kinds = ["container-snapshot"] })).Count.ShouldBe(2, "each containers check records the listing it judged");
    }
}
