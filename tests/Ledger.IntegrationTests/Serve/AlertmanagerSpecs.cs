using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

/// <summary>The "done when": a real Alertmanager, its repeats, one fired and one resolved event.</summary>
public sealed partial class AlertmanagerSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Token = "alertmanager-test-token";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve-am");

    public AlertmanagerSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [AlertmanagerFact]
    public async Task A_real_alertmanager_firing_then_resolving_an_alert_with_repeats_gives_one_fired_and_one_resolved_event()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "am-host", token: Token);
        await using var alertmanager = await AlertmanagerProcess.StartAsync(serve.Url, Token);
        var labels = new Dictionary<string, string> { ["alertname"] = "JellyfinDown", ["instance"] = "am-host:8096", ["severity"] = "critical" };
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(-3);

        // Act: fire, and let Alertmanager repeat the notification (every second here).
        await alertmanager.PostAlertAsync(labels, startsAt);
        await TestServe.WaitForEventsAsync(_db.Store, "am-host", e => e.Any(x => x.Type == "alert_fired"), why: $"the fired alert\n{alertmanager.Log}\n{serve.Log}");
        await WaitForDuplicatesAsync(serve, atLeast: 2);

        // Act: resolve it by posting it again with an end in the past.
        await alertmanager.PostAlertAsync(labels, startsAt, endsAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        await TestServe.WaitForEventsAsync(_db.Store, "am-host", e => e.Any(x => x.Type == "alert_resolved"), why: $"the resolved alert\n{alertmanager.Log}\n{serve.Log}");
        // A few more notification rounds: nothing new may be recorded.
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Assert
        var events = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "am-host", Kinds = ["alert"], Limit = null })).Reverse().ToList();
        events.Select(e => e.Type).ShouldBe(["alert_fired", "alert_resolved"]);
        var fired = events[0].Data.ShouldBeOfType<AlertFired>();
        var resolved = events[1].Data.ShouldBeOfType<AlertResolved>();
        fired.AlertName.ShouldBe("JellyfinDown");
        fired.Severity.ShouldBe("critical");
        fired.Labels["instance"].ShouldBe("am-host:8096");
        fired.Annotations["summary"].ShouldBe("posted by a Ledger test");
        fired.StartsAt.ShouldBe(startsAt, TimeSpan.FromMilliseconds(1));
        resolved.Fingerprint.ShouldBe(fired.Fingerprint);
        resolved.StartsAt.ShouldBe(fired.StartsAt);
        resolved.EndsAt.ShouldBeGreaterThan(fired.StartsAt);
        serve.Log.ShouldNotContain("refused");
    }

    private static async Task WaitForDuplicatesAsync(TestServe serve, int atLeast)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var metrics = await serve.Http.GetStringAsync("/metrics");
            var match = Duplicates().Match(metrics);
            if (match.Success && double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= atLeast)
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Alertmanager sent fewer than {atLeast} repeats in 30 s.\n{serve.Log}");
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex("""^ledger_webhook_alerts_total\{result="duplicate"\} (\S+)""", RegexOptions.Multiline)]
    private static partial Regex Duplicates();
}
