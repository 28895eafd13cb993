using System.Text;
using Ledger.Core.Alerts;
using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

public class AlertmanagerPayloadSpecs
{
    // What Alertmanager 0.25 posts: nanosecond timestamps, the zero time for a firing alert's endsAt.
    private const string Notification = """
        {
          "receiver": "ledger", "status": "firing", "version": "4", "truncatedAlerts": 0,
          "groupKey": "{}:{alertname=\"GpuHot\"}", "externalURL": "http://am:9093",
          "groupLabels": {"alertname": "GpuHot"}, "commonLabels": {}, "commonAnnotations": {},
          "alerts": [
            {
              "status": "firing",
              "labels": {"alertname": "GpuHot", "instance": "mediabox:9835", "severity": "warning", "Team": "media"},
              "annotations": {"summary": "GPU at 91 C", "runbook": "https://admin:hunter2@wiki.example/gpu"},
              "startsAt": "2026-11-20T09:15:02.123456789Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus:9090/graph?g0.expr=x",
              "fingerprint": "a1b2c3d4e5f60718"
            },
            {
              "status": "resolved",
              "labels": {"alertname": "DiskFull", "host": "nas01", "api_key": "s3cr3t-value"},
              "annotations": {},
              "startsAt": "2026-11-20T08:00:00+01:00",
              "endsAt": "2026-11-20T08:30:00+01:00",
              "generatorURL": "",
              "fingerprint": "0011223344556677"
            }
          ]
        }
        """;

    [Fact]
    public void A_version_4_notification_gives_one_notice_per_alert_with_its_state_and_times()
    {
        // Act
        var alerts = Parse(Notification);

        // Assert
        alerts.Count.ShouldBe(2);
        alerts[0].State.ShouldBe(AlertState.Firing);
        alerts[0].AlertName.ShouldBe("GpuHot");
        alerts[0].StartsAt.ShouldBe(new DateTimeOffset(2026, 11, 20, 9, 15, 2, TimeSpan.Zero).AddTicks(1234567));
        alerts[0].EndsAt.ShouldBeNull();
        alerts[0].Labels["Team"].ShouldBe("media");
        alerts[0].GeneratorUrl.ShouldBe("http://prometheus:9090/graph?g0.expr=x");
        alerts[1].State.ShouldBe(AlertState.Resolved);
        alerts[1].EndsAt.ShouldBe(new DateTimeOffset(2026, 11, 20, 7, 30, 0, TimeSpan.Zero));
        alerts[1].GeneratorUrl.ShouldBeNull();
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[]", "Expected a JSON object")]
    [InlineData("""{"alerts": []}""", "version: missing")]
    [InlineData("""{"version": "3", "alerts": []}""", "version: \"3\" is not supported")]
    [InlineData("""{"version": "4"}""", "alerts: missing or not an array")]
    [InlineData("""{"version": "4", "alerts": [{"status": "pending", "labels": {"alertname": "A"}, "startsAt": "2026-01-01T00:00:00Z", "fingerprint": "f"}]}""", "alerts[0].status: \"pending\"")]
    [InlineData("""{"version": "4", "alerts": [{"status": "firing", "labels": {"job": "x"}, "startsAt": "2026-01-01T00:00:00Z", "fingerprint": "f"}]}""", "alerts[0].labels: no \"alertname\"")]
    [InlineData("""{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A", "n": 1}, "startsAt": "2026-01-01T00:00:00Z", "fingerprint": "f"}]}""", "alerts[0].labels.n: expected a string, got a number")]
    [InlineData("""{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}, "startsAt": "yesterday", "fingerprint": "f"}]}""", "alerts[0].startsAt: \"yesterday\" is not an RFC 3339 timestamp")]
    [InlineData("""{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "A"}, "startsAt": "2026-01-01T00:00:00Z"}]}""", "alerts[0].fingerprint: missing")]
    [InlineData("""{"version": "4", "alerts": [{"status": "resolved", "labels": {"alertname": "A"}, "startsAt": "2026-01-01T00:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "f"}]}""", "alerts[0].endsAt: a resolved alert needs")]
    public void A_malformed_body_is_refused_with_the_reason(string body, string reason)
    {
        // Act
        var e = Should.Throw<AlertPayloadException>(() => Parse(body));

        // Assert
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public void One_bad_alert_refuses_the_whole_notification()
    {
        // Arrange: the first alert is fine, the second is not.
        var body = Notification.Replace("\"fingerprint\": \"0011223344556677\"", "\"fingerprint\": 7", StringComparison.Ordinal);

        // Act
        var e = Should.Throw<AlertPayloadException>(() => Parse(body));

        // Assert
        e.Message.ShouldBe("alerts[1].fingerprint: expected a string, got a number.");
    }

    [Theory]
    [InlineData("mediabox:9100", "mediabox")]
    [InlineData("nas01.lan", "nas01.lan")]
    [InlineData("http://jellyfin.lan:8096/health", "jellyfin.lan")]
    [InlineData("https://user:pw@grafana.lan/api", "grafana.lan")]
    [InlineData("[2001:db8::1]:9100", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("10.0.0.5:9100", "10.0.0.5")]
    public void The_host_part_of_an_instance_label(string instance, string host)
    {
        AlertFacts.InstanceHost(instance).ShouldBe(host);
    }

    [Theory]
    [InlineData("nas01", "mediabox:9100", "nas01")]
    [InlineData(null, "mediabox:9100", "mediabox")]
    [InlineData(null, "localhost:9100", "self")]
    [InlineData(null, "127.0.0.1:9100", "self")]
    [InlineData(null, "[::1]:9100", "self")]
    [InlineData(null, null, "self")]
    [InlineData("  ", null, "self")]
    public void The_host_label_wins_then_the_instance_then_the_configured_host(string? hostLabel, string? instance, string expected)
    {
        // Arrange
        var labels = new Dictionary<string, string> { ["alertname"] = "A" };
        if (hostLabel is not null)
        {
            labels["host"] = hostLabel;
        }

        if (instance is not null)
        {
            labels["instance"] = instance;
        }

        // Act / Assert
        AlertFacts.HostOf(labels, "self").ShouldBe(expected);
    }

    [Fact]
    public void Facts_are_redacted_keep_label_keys_and_carry_the_occurrence_key()
    {
        // Act
        var facts = AlertFacts.From(Parse(Notification), "self", "ledger-serve", Redactor.Default);

        // Assert
        var fired = facts[0].Event.ShouldBeOfType<AlertFired>();
        fired.Host.ShouldBe("mediabox");
        fired.Actor.ShouldBe("ledger-serve");
        fired.Severity.ShouldBe("warning");
        fired.Labels.Keys.ShouldBe(["alertname", "instance", "severity", "Team"], ignoreOrder: true);
        fired.Annotations["runbook"].ShouldNotContain("hunter2");
        fired.Annotations["runbook"].ShouldStartWith("https://admin:[REDACTED:");
        facts[0].StreamKey.ShouldBe("alert:mediabox:a1b2c3d4e5f60718:2026-11-20T09:15:02.1234567Z:firing");

        var resolved = facts[1].Event.ShouldBeOfType<AlertResolved>();
        resolved.Host.ShouldBe("nas01");
        resolved.Labels["api_key"].ShouldStartWith("[REDACTED:");
        resolved.Labels["api_key"].ShouldNotContain("s3cr3t");
        facts[1].StreamKey.ShouldBe("alert:nas01:0011223344556677:2026-11-20T07:00:00.0000000Z:resolved");
    }

    [Fact]
    public void The_same_alert_twice_in_one_body_is_one_fact()
    {
        // Arrange
        var alert = Parse(Notification)[0];

        // Act
        var facts = AlertFacts.From([alert, alert with { Annotations = new Dictionary<string, string>() }], "self", "a", Redactor.Default);

        // Assert
        facts.Count.ShouldBe(1);
    }

    private static IReadOnlyList<AlertNotice> Parse(string json) => AlertmanagerPayload.Parse(Encoding.UTF8.GetBytes(json));
}
