using System.Text.Json;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Serve;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Analysis;

/// <summary>
/// <c>ledger why</c> (issue 17) on real data: a real git repository imported by the ledger
/// command, alerts posted to the daemon's webhook, deploys, checks and snapshots in the store.
/// </summary>
public sealed class WhySpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 11, 20, 9, 15, 2, TimeSpan.Zero);

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-why");
    private readonly GitRepo _repo = new();

    public WhySpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task An_alert_names_the_change_that_touched_its_service_first_and_never_a_change_after_it()
    {
        // Arrange: jellyfin touched 3 h before the alert, grafana 20 min before, sonarr 10 min after.
        var (host, jellyfin, grafana, sonarr, alert) = await AlertStoryAsync("why-alert");

        // Act
        var result = await Cli(host).RunAsync("why", alert.ToString(), "--json");

        // Assert
        result.ExitCode.ShouldBe(0, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var suspects = json.RootElement.GetProperty("suspects").EnumerateArray().ToList();
        var titles = suspects.Select(s => s.GetProperty("title").GetString()!).ToList();
        titles.Count.ShouldBe(3, "the two changes in the window and the base configuration two days before");
        titles[0].ShouldStartWith(jellyfin[..8]);
        suspects[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldContain("touched modules/media/jellyfin.nix (matches job=jellyfin)");
        titles.IndexOf(titles.Single(t => t.StartsWith(grafana[..8], StringComparison.Ordinal))).ShouldBeGreaterThan(0);
        var sonarrShort = sonarr[..8];
        titles.ShouldNotContain(t => t.StartsWith(sonarrShort, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_monthly_report_names_each_alerts_top_suspect_with_its_reason()
    {
        // Arrange
        var (host, jellyfin, _, _, _) = await AlertStoryAsync("why-report");

        // Act
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var result = await Cli(host).RunAsync("report", "monthly", "--month", month, "--host", host);

        // Assert
        result.ExitCode.ShouldBe(0, result.Err);
        var row = result.Out.Split('\n').Single(l => l.StartsWith("| JellyfinDown |", StringComparison.Ordinal));
        row.ShouldContain($"{jellyfin[..8]} Enable hardware transcoding");
        row.ShouldContain("touched modules/media/jellyfin.nix (matches job=jellyfin)");
    }

    [Fact]
    public async Task The_json_has_the_documented_shape_field_by_field()
    {
        // Arrange
        var (host, jellyfin, _, _, alert) = await AlertStoryAsync("why-json");
        var top = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"], Limit = null }))
            .Single(e => ((ConfigEdited)e.Data).Sha == jellyfin);

        // Act
        var result = await Cli(host).RunAsync("why", alert.ToString(), "--json", "--limit", "1");

        // Assert
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["subject", "window", "terms", "suspects", "stateChanges", "restoreTo"]);
        var subject = root.GetProperty("subject");
        subject.GetProperty("seq").GetInt64().ShouldBe(alert);
        subject.GetProperty("kind").GetString().ShouldBe("alert");
        subject.GetProperty("title").GetString().ShouldBe("JellyfinDown firing (warning)");
        subject.GetProperty("host").GetString().ShouldBe(host);
        subject.GetProperty("timestamp").GetString().ShouldBe("2026-11-20T09:15:02.123Z");
        root.GetProperty("window").GetProperty("from").GetString().ShouldBe("2026-11-17T09:15:02.123Z");
        root.GetProperty("window").GetProperty("to").GetString().ShouldBe("2026-11-20T09:15:02.123Z");
        root.GetProperty("terms")[0].GetProperty("word").GetString().ShouldBe("jellyfin");
        root.GetProperty("terms")[0].GetProperty("source").GetString().ShouldBe("job=jellyfin");
        var suspect = root.GetProperty("suspects").EnumerateArray().ShouldHaveSingleItem();
        suspect.EnumerateObject().Select(p => p.Name).ShouldBe(["seq", "kind", "type", "title", "timestamp", "beforeSeconds", "score", "notDeployed", "reasons"]);
        suspect.GetProperty("seq").GetInt64().ShouldBe(top.Seq);
        suspect.GetProperty("kind").GetString().ShouldBe("config-edit");
        suspect.GetProperty("type").GetString().ShouldBe("config_edited");
        suspect.GetProperty("timestamp").GetString().ShouldBe("2026-11-20T06:15:02.000Z");
        suspect.GetProperty("beforeSeconds").GetInt64().ShouldBe(3 * 3600);
        suspect.GetProperty("score").GetInt32().ShouldBeGreaterThan(40);
        suspect.GetProperty("notDeployed").GetBoolean().ShouldBeFalse();
        suspect.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldBe(["touched modules/media/jellyfin.nix (matches job=jellyfin)", "3 h before"]);
        root.GetProperty("stateChanges").GetArrayLength().ShouldBe(0);
        root.GetProperty("restoreTo").GetInt64().ShouldBeLessThan(top.Seq);
    }

    [Fact]
    public async Task A_deployed_commit_ranks_above_one_never_deployed_and_the_text_says_both()
    {
        // Arrange: both commits touch jellyfin; only the first was deployed before the alert.
        var host = Host("why-deploy");
        BaseConfiguration();
        _repo.Write("modules/media/jellyfin.nix", "{ services.jellyfin.enable = true; }\n");
        var deployedSha = _repo.Commit("Enable jellyfin", at: T.AddHours(-5));
        _repo.Write("modules/media/jellyfin.nix", "{ services.jellyfin.enable = true; services.jellyfin.openFirewall = true; }\n");
        var pending = _repo.Commit("Open jellyfin's firewall", at: T.AddHours(-1));
        await ImportAsync(host);
        var deploy = await AppendAsync(StreamKeys.Deploy(host, "d1"), new DeployFinished(host, "root", "d1", _repo.Path, deployedSha, "switch", true, DeployOutcome.Succeeded, 431, 9000, 0, null, null), T.AddHours(-4));
        var alert = await PostAlertAsync(host, "JellyfinDown", "jellyfin");

        // Act
        var result = await Cli(host).RunAsync("why", alert.ToString());

        // Assert
        result.ExitCode.ShouldBe(0, result.Err);
        var text = result.Out;
        text.IndexOf(deployedSha[..8], StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf(pending[..8], StringComparison.Ordinal));
        text.ShouldContain($"deployed 4 h before the alert (deploy #{deploy}, generation 431)");
        text.ShouldContain("not deployed before the alert");
        text.ShouldContain("Look closer: ledger show ");
        text.ShouldContain($"Go back:     ledger restore --to ");
    }

    [Fact]
    public async Task A_failed_validation_is_a_subject_and_a_container_snapshot_shows_what_changed_across_the_change()
    {
        // Arrange
        var host = Host("why-check");
        BaseConfiguration();
        _repo.Write("modules/media/containers.nix", "{ virtualisation.oci-containers.containers.radarr.image = \"radarr:5\"; }\n");
        var change = _repo.Commit("Pin the radarr image", at: T.AddHours(-2));
        await ImportAsync(host);
        await AppendAsync(StreamKeys.Snapshots(host, "containers"), Containers(host, "running"), T.AddHours(-3));
        var after = await AppendAsync(StreamKeys.Snapshots(host, "containers"), Containers(host, "exited"), T.AddHours(-1));
        var failed = await AppendAsync(StreamKeys.Validations(host), new ValidationRun(host, "ledger", "radarr-http", "http", ValidationStatus.Fail, 12, "connection refused", [], null, false, null), T);

        // Act
        var result = await Cli(host).RunAsync("why", failed.ToString());

        // Assert
        result.ExitCode.ShouldBe(0, result.Err);
        result.Out.ShouldContain($"Why #{failed}: validation");
        result.Out.ShouldContain($"{change[..8]} Pin the radarr image");
        result.Out.ShouldContain("changed a line that mentions radarr in modules/media/containers.nix (matches check radarr-http)");
        result.Out.ShouldContain($"across it, container radarr went from running to exited (#{after - 1} → #{after}; matches check radarr-http)");
        result.Out.ShouldContain("State that changed over the window:");
    }

    [Fact]
    public async Task An_incident_without_an_event_is_found_by_time_host_and_words()
    {
        // Arrange
        var host = Host("why-at");
        var (jellyfin, grafana, _) = CommitStory();
        await ImportAsync(host);

        // Act
        var result = await Cli(host).RunAsync("why", "--at", "2026-11-20T09:15:02Z", "--host", host, "--about", "grafana stalled", "--json");

        // Assert
        result.ExitCode.ShouldBe(0, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("subject").GetProperty("seq").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("subject").GetProperty("title").GetString().ShouldBe("an incident: grafana stalled");
        var top = json.RootElement.GetProperty("suspects")[0];
        top.GetProperty("title").GetString()!.ShouldStartWith(grafana[..8]);
        top.GetProperty("reasons")[0].GetString().ShouldBe("touched modules/monitoring/grafana.nix (matches --about)");
        json.RootElement.GetProperty("suspects")[1].GetProperty("title").GetString()!.ShouldStartWith(jellyfin[..8]);
    }

    [Fact]
    public async Task An_empty_window_says_so_and_exits_0()
    {
        // Arrange
        var host = Host("why-empty");
        var alert = await PostAlertAsync(host, "JellyfinDown", "jellyfin");

        // Act
        var result = await Cli(host).RunAsync("why", alert.ToString());

        // Assert
        result.ExitCode.ShouldBe(0, result.Err);
        result.Out.ShouldContain($"No change on {host} in that window");
    }

    [Fact]
    public async Task An_unknown_seq_or_a_bad_window_is_a_usage_error()
    {
        // Arrange
        var cli = Cli(Host("why-bad"));

        // Act
        var unknown = await cli.RunAsync("why", "999999999");
        var badWindow = await cli.RunAsync("why", "--at", "2026-11-20T09:00:00Z", "--window", "three days");
        var neither = await cli.RunAsync("why");

        // Assert
        unknown.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
        unknown.Err.ShouldContain("There is no event #999999999");
        badWindow.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
        badWindow.Err.ShouldContain("--window three days: expected a duration");
        neither.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
        neither.Err.ShouldContain("Say what to explain");
    }

    private static string Host(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The repository's first commit, two days before the alert.</summary>
    private void BaseConfiguration()
    {
        _repo.Write("configuration.nix", "{ imports = [ ./modules ]; }\n");
        _repo.Commit("Base configuration", at: T.AddDays(-2));
    }

    private (string Jellyfin, string Grafana, string Sonarr) CommitStory()
    {
        BaseConfiguration();
        _repo.Write("modules/media/jellyfin.nix", "{ services.jellyfin.enable = true; }\n");
        var jellyfin = _repo.Commit("Enable hardware transcoding", at: T.AddHours(-3));
        _repo.Write("modules/monitoring/grafana.nix", "{ services.grafana.enable = true; }\n");
        var grafana = _repo.Commit("New dashboards", at: T.AddMinutes(-20));
        _repo.Write("modules/media/sonarr.nix", "{ services.sonarr.enable = true; }\n");
        var sonarr = _repo.Commit("Enable sonarr", at: T.AddMinutes(10));
        return (jellyfin, grafana, sonarr);
    }

    /// <summary>The story of the issue: <see cref="CommitStory"/> imported for a new host, then JellyfinDown (job=jellyfin) through the webhook at T.</summary>
    private async Task<(string Host, string Jellyfin, string Grafana, string Sonarr, long Alert)> AlertStoryAsync(string prefix)
    {
        var host = Host(prefix);
        var (jellyfin, grafana, sonarr) = CommitStory();
        await ImportAsync(host);
        return (host, jellyfin, grafana, sonarr, await PostAlertAsync(host, "JellyfinDown", "jellyfin"));
    }

    private CliRun Cli(string host) => new(_db.ConnectionString, _home.Path, host, new Dictionary<string, string?> { ["LEDGER_TIME_ZONE"] = "UTC" });

    private async Task ImportAsync(string host)
    {
        var result = await Cli(host).RunAsync("import-git", "--repo", _repo.Path, "--host", host);
        result.ExitCode.ShouldBe(0, result.Err);
    }

    /// <summary>Posts a firing alert for this host to a real daemon's webhook, as Alertmanager would; returns its seq.</summary>
    private async Task<long> PostAlertAsync(string host, string name, string job)
    {
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, host);
        var response = await serve.PostAlertsAsync(AlertBodies.Firing(name, Guid.NewGuid().ToString("N")[..16], job: job));
        response.EnsureSuccessStatusCode();
        return (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["alert"], Limit = 1 })).ShouldHaveSingleItem().Seq;
    }

    private Task<long> AppendAsync(string stream, ILedgerEvent e, DateTimeOffset at) => _db.Store.AppendAsync(new NewEvent(stream, e, at));

    private static ContainerSnapshotTaken Containers(string host, string radarrState) =>
        new(host, "ledger", "podman", [
            new ContainerState("id-jellyfin", "jellyfin", "jellyfin/jellyfin:10.10", "running", null, 0, null, []),
            new ContainerState("id-radarr", "radarr", "radarr:5", radarrState, null, 0, null, []),
        ]);
}
