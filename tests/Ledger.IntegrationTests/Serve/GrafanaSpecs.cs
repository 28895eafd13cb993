using System.Text.Json;
using Ledger.App.Daemon;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Serve;

public sealed class GrafanaSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve-grafana");

    public GrafanaSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Deploys_and_restores_recorded_while_serving_become_region_annotations_with_host_kind_and_commit_tags()
    {
        // Arrange: a deploy from before the daemon first ran (not posted), a fake Grafana, a token file.
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("gf-host", "old"), Deploy("old", "0000000000000000000000000000000000000000", DeployOutcome.Succeeded, 1000)));
        await using var grafana = new RecordingHttpServer();
        var tokenFile = Path.Combine(_home.Path, "grafana-token");
        await File.WriteAllTextAsync(tokenFile, "glsa_test_token\n");
        var settings = new ServeSettings
        {
            Intervals = TestServe.AllOff with { Grafana = 1 },
            Grafana = new GrafanaSettings(grafana.Url, tokenFile, "media-overview"),
        };
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "gf-host", settings);
        await WaitAsync(() => File.Exists(Path.Combine(_home.Path, "grafana-annotations.json")), "the first run");

        // Act
        var deploy = await _db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("gf-host", "d2"), Deploy("d2", "3f2a9c1e5b7d4a6c8e0f1a2b3c4d5e6f7a8b9c0d", DeployOutcome.Succeeded, 90_000)));
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("other-host", "d3"), Deploy("d3", "1111111111111111111111111111111111111111", DeployOutcome.Failed, 5) with { Host = "other-host" }));
        var restore = await _db.Store.AppendAsync(new NewEvent(StreamKeys.Restore("gf-host", "r1"), new RestoreCompleted("gf-host", "alice", "r1", "/etc/nixos", 12, "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", 42, 30_000)));
        await WaitAsync(() => grafana.Requests.Count >= 2, "two annotations");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Assert
        var requests = grafana.Requests.ToList();
        requests.Count.ShouldBe(2, "the old deploy and the other host's are not posted, nothing twice");
        requests.ShouldAllBe(r => r.Method == "POST" && r.Path == "/api/annotations" && r.Authorization == "Bearer glsa_test_token");
        using var first = JsonDocument.Parse(requests[0].Body);
        var a = first.RootElement;
        (a.GetProperty("timeEnd").GetInt64() - a.GetProperty("time").GetInt64()).ShouldBe(90_000);
        a.GetProperty("dashboardUID").GetString().ShouldBe("media-overview");
        a.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["ledger", "host:gf-host", "kind:deploy", "commit:3f2a9c1e"]);
        a.GetProperty("text").GetString().ShouldBe($"deploy 3f2a9c1e succeeded, generation 42 (ledger #{deploy}, by alice)");
        using var second = JsonDocument.Parse(requests[1].Body);
        second.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["ledger", "host:gf-host", "kind:restore", "commit:9e8d7c6b"]);
        second.RootElement.GetProperty("text").GetString()!.ShouldContain($"#{restore}");
        (await File.ReadAllTextAsync(Path.Combine(_home.Path, "grafana-annotations.json"))).ShouldContain($"{restore}");
    }

    [Fact]
    public async Task An_annotation_grafana_refuses_is_tried_again_on_the_next_run()
    {
        // Arrange
        await using var grafana = new RecordingHttpServer();
        var refuse = true;
        grafana.Respond = _ => refuse ? (500, """{"message": "database is locked"}""") : (200, """{"id": 2}""");
        var home = Path.Combine(_home.Path, "retry");
        Directory.CreateDirectory(home);
        var tokenFile = Path.Combine(home, "token");
        await File.WriteAllTextAsync(tokenFile, "t");
        var settings = new ServeSettings { Intervals = TestServe.AllOff with { Grafana = 1 }, Grafana = new GrafanaSettings(grafana.Url, tokenFile, null) };
        await using var serve = await TestServe.StartAsync(_db.Store, home, "gf-retry", settings);
        await WaitAsync(() => File.Exists(Path.Combine(home, "grafana-annotations.json")), "the first run");

        // Act
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("gf-retry", "d"), Deploy("d", "abcdef0123456789abcdef0123456789abcdef01", DeployOutcome.RolledBack, 10) with { Host = "gf-retry" }));
        await WaitAsync(() => grafana.Requests.Count >= 2, "two refused tries");
        refuse = false;
        await WaitAsync(() => serve.Log.Contains("grafana: works again", StringComparison.Ordinal), "a successful try");

        // Assert
        serve.Log.ShouldContain("Grafana answered 500");
        grafana.Requests.Select(r => r.Body).Distinct().Count().ShouldBe(1, "the same annotation each time");
        using var body = JsonDocument.Parse(grafana.Requests.First().Body);
        body.RootElement.TryGetProperty("dashboardUID", out _).ShouldBeFalse();
    }

    private static DeployFinished Deploy(string id, string commit, DeployOutcome outcome, long durationMs) =>
        new("gf-host", "alice", id, "/etc/nixos", commit, "switch", outcome == DeployOutcome.Succeeded, outcome, 42, durationMs, 0, null, null);

    private static async Task WaitAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!done())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Waited 20 s for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
