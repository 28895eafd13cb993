using System.Net;
using System.Text;
using Ledger.App.Daemon;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Serve;

public sealed class WebhookSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Token = "s3cret-webhook-token";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve");

    public WebhookSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task A_firing_alert_is_recorded_once_and_its_repeats_are_duplicates()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-fire");
        var body = AlertBodies.Firing("GpuHot", "f00d000000000001");

        // Act
        var first = await serve.PostAlertsAsync(body);
        var firstText = await first.Content.ReadAsStringAsync();
        var repeat = await serve.PostAlertsAsync(body);
        var repeatText = await repeat.Content.ReadAsStringAsync();

        // Assert
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        firstText.ShouldContain("\"recorded\": 1");
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        repeatText.ShouldContain("\"recorded\": 0, \"duplicates\": 1");
        var events = await Alerts("wh-fire");
        var fired = events.ShouldHaveSingleItem().Data.ShouldBeOfType<AlertFired>();
        fired.Actor.ShouldBe("ledger-serve");
        fired.Fingerprint.ShouldBe("f00d000000000001");
        fired.Severity.ShouldBe("warning");
        fired.Annotations["dashboard"].ShouldNotContain("abc123secret");
        events[0].StreamKey.ShouldBe("alert:wh-fire:f00d000000000001:2026-11-20T09:15:02.1234567Z:firing");
    }

    [Fact]
    public async Task The_instance_label_names_the_host_and_loopback_means_the_daemons_host()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-self");

        // Act
        (await serve.PostAlertsAsync(AlertBodies.Firing("NodeDown", "f00d000000000002", instance: "wh-other:9100"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await serve.PostAlertsAsync(AlertBodies.Firing("NodeDown", "f00d000000000003", instance: "localhost:9100"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Assert
        (await Alerts("wh-other")).ShouldHaveSingleItem().Data.ShouldBeOfType<AlertFired>().Fingerprint.ShouldBe("f00d000000000002");
        (await Alerts("wh-self")).ShouldHaveSingleItem().Data.ShouldBeOfType<AlertFired>().Fingerprint.ShouldBe("f00d000000000003");
    }

    [Fact]
    public async Task A_resolved_alert_after_its_firing_gives_a_second_event_and_a_new_firing_a_third()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-resolve");

        // Act
        await serve.PostAlertsAsync(AlertBodies.Firing("DiskFull", "f00d000000000004"));
        await serve.PostAlertsAsync(AlertBodies.Resolved("DiskFull", "f00d000000000004"));
        await serve.PostAlertsAsync(AlertBodies.Resolved("DiskFull", "f00d000000000004"));
        await serve.PostAlertsAsync(AlertBodies.Firing("DiskFull", "f00d000000000004", startsAt: "2026-11-20T11:00:00Z"));

        // Assert
        var types = (await Alerts("wh-resolve")).Select(e => e.Type).Reverse().ToList();
        types.ShouldBe(["alert_fired", "alert_resolved", "alert_fired"]);
        var resolved = (await Alerts("wh-resolve")).Select(e => e.Data).OfType<AlertResolved>().Single();
        resolved.EndsAt.ShouldBe(new DateTimeOffset(2026, 11, 20, 9, 45, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Without_the_bearer_token_the_answer_is_401_and_nothing_is_stored()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-401", token: Token);
        var body = AlertBodies.Firing("Unauthorised", "f00d000000000005");

        // Act
        var none = await serve.PostAlertsAsync(body);
        var wrong = await serve.PostAlertsAsync(body, token: "guess");
        var right = await serve.PostAlertsAsync(body, token: Token);

        // Assert
        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        none.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Alerts("wh-401")).Count.ShouldBe(1, "only the request with the token");
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_declared_or_streamed_and_nothing_is_stored()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-413", new ServeSettings { Intervals = TestServe.AllOff, MaxBodyBytes = 4096 });
        var padding = new string('x', 8000);
        var body = AlertBodies.Firing("TooBig", "f00d000000000006").Replace("is firing", padding, StringComparison.Ordinal);

        // Act
        var declared = await RefusedOrStatusAsync(() => serve.PostAlertsAsync(body));
        var streamed = await RefusedOrStatusAsync(() =>
        {
            var chunked = new HttpRequestMessage(HttpMethod.Post, "/alertmanager") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) };
            chunked.Headers.TransferEncodingChunked = true;
            return serve.Http.SendAsync(chunked);
        });

        // Assert: 413, or (seen in CI) the server closing the connection before the client finished sending the body.
        declared.ShouldBeOneOf(HttpStatusCode.RequestEntityTooLarge, null);
        streamed.ShouldBeOneOf(HttpStatusCode.RequestEntityTooLarge, null);
        (await Alerts("wh-413")).ShouldBeEmpty();
        (await serve.PostAlertsAsync(AlertBodies.Firing("Small", "f00d000000000007"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_malformed_body_gets_400_with_the_reason_and_a_good_alert_beside_a_bad_one_is_not_stored()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "wh-400");
        var good = AlertBodies.Firing("Good", "f00d000000000008");
        const string Bad = """{"status": "firing", "labels": {"alertname": "Bad"}, "startsAt": "soon", "fingerprint": "x"}, {""";
        var oneBad = good.Replace("\"alerts\": [{", "\"alerts\": [" + Bad, StringComparison.Ordinal);

        // Act
        var notJson = await serve.PostAlertsAsync("{ nope");
        var oldVersion = await serve.PostAlertsAsync(good.Replace("\"version\": \"4\"", "\"version\": \"3\"", StringComparison.Ordinal));
        var mixed = await serve.PostAlertsAsync(oneBad);

        // Assert
        notJson.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notJson.Content.ReadAsStringAsync()).ShouldContain("not JSON");
        oldVersion.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await oldVersion.Content.ReadAsStringAsync()).ShouldContain("version: \"3\" is not supported");
        mixed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await mixed.Content.ReadAsStringAsync()).ShouldContain("alerts[0].startsAt: \"soon\" is not an RFC 3339 timestamp");
        (await Alerts("wh-400")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Healthz_is_200_with_the_database_and_503_without_it()
    {
        // Arrange
        await using var doomed = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "gone");
        await using var store = await LedgerStore.OpenAsync(doomed.ConnectionString + ";Timeout=3;Pooling=false");
        await using var serve = await TestServe.StartAsync(store, _home.Path, "wh-health");
        var up = await serve.Http.GetAsync("/healthz");

        // Act
        await doomed.DisposeAsync();
        var down = await serve.Http.GetAsync("/healthz");

        // Assert
        up.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await up.Content.ReadAsStringAsync()).ShouldBe("ok\n");
        down.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await down.Content.ReadAsStringAsync()).ShouldStartWith("database unreachable");
    }

    private async Task<IReadOnlyList<TimelineEntry>> Alerts(string host) =>
        await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["alert"], Limit = null });

    /// <summary>The response status, or null when the server cut the connection while the request was still being sent.</summary>
    private static async Task<HttpStatusCode?> RefusedOrStatusAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
