namespace Ledger.IntegrationTests.Serve;

/// <summary>Webhook bodies in Alertmanager 0.25's exact shape.</summary>
internal static class AlertBodies
{
    public static string Firing(string name, string fingerprint, string startsAt = "2026-11-20T09:15:02.123456789Z", string instance = "127.0.0.1:9100", string? job = null) => $$"""
        {
          "receiver": "ledger", "status": "firing", "version": "4", "truncatedAlerts": 0,
          "groupKey": "{}:{alertname=\"{{name}}\"}", "externalURL": "http://am.example:9093",
          "groupLabels": {"alertname": "{{name}}"}, "commonLabels": {"alertname": "{{name}}"}, "commonAnnotations": {},
          "alerts": [{
            "status": "firing",
            "labels": {"alertname": "{{name}}", "instance": "{{instance}}", {{(job is null ? "" : $"\"job\": \"{job}\", ")}}"severity": "warning"},
            "annotations": {"summary": "{{name}} is firing", "dashboard": "https://grafana.example/d/x?token=abc123secret"},
            "startsAt": "{{startsAt}}", "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example:9090/graph", "fingerprint": "{{fingerprint}}"
          }]
        }
        """;

    public static string Resolved(string name, string fingerprint, string startsAt = "2026-11-20T09:15:02.123456789Z", string endsAt = "2026-11-20T09:45:00Z") => $$"""
        {
          "receiver": "ledger", "status": "resolved", "version": "4", "truncatedAlerts": 0,
          "groupKey": "{}:{alertname=\"{{name}}\"}", "externalURL": "http://am.example:9093",
          "groupLabels": {"alertname": "{{name}}"}, "commonLabels": {"alertname": "{{name}}"}, "commonAnnotations": {},
          "alerts": [{
            "status": "resolved",
            "labels": {"alertname": "{{name}}", "instance": "127.0.0.1:9100"},
            "annotations": {},
            "startsAt": "{{startsAt}}", "endsAt": "{{endsAt}}",
            "generatorURL": "http://prometheus.example:9090/graph", "fingerprint": "{{fingerprint}}"
          }]
        }
        """;
}
