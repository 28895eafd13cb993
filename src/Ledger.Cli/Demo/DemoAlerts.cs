using System.Net.Http.Headers;
using System.Text;
using Ledger.App.Daemon;
using Ledger.Cli.Serve;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Demo;

/// <summary>
/// The demo's alerts: a real <c>ledger serve</c> on a free loopback port receives what
/// Alertmanager would post for the demo host (the GPU running hot, a repeat of that notification,
/// then its resolution) over HTTP, through the same webhook code as the daemon.
/// </summary>
internal static class DemoAlerts
{
    public static async Task RunAsync(LedgerStore store, CliContext ctx, string host, CancellationToken ct)
    {
        var o = ctx.Out;
        var settings = new ServeSettings { Intervals = new ServeIntervals { Gpu = 0, Containers = 0, System = 0, Storage = 0, Git = 0, Text = 0, Metrics = 0, Grafana = 0 } };
        var serve = new ServeContext(store, settings, host, ctx.Home, ctx.Programs, new ServeMetrics(host, TimeProvider.System), Serilog.Core.Logger.None);
        await using var server = await ServeHost.StartAsync(serve, ListenAddress.Parse("127.0.0.1:0"), ct);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        await o.WriteLineAsync($"== Alertmanager -> ledger serve (POST {new Uri(server.Url, AlertWebhook.Path)}) ==");

        // Milliseconds, as Alertmanager sends them: two demo runs in the same second are two alerts.
        var now = DateTimeOffset.UtcNow;
        var startsAt = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero).AddMinutes(-12);
        var firing = Payload("firing", startsAt, null);
        await PostAsync(http, o, "GpuTemperatureHigh firing", firing, ct);
        await PostAsync(http, o, "the same notification repeated", firing, ct);
        await PostAsync(http, o, "GpuTemperatureHigh resolved", Payload("resolved", startsAt, startsAt.AddMinutes(9)), ct);
        await server.StopAsync();

        await o.WriteLineAsync($"Alerts on the demo host (ledger timeline --host {host} --kind alert):");
        foreach (var e in await store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["alert"], Limit = 2 }, ct))
        {
            await o.WriteLineAsync($"  #{e.Seq} {e.Type}: {e.Title}");
        }

        await o.WriteLineAsync();
    }

    private static async Task PostAsync(HttpClient http, TextWriter o, string what, string body, CancellationToken ct)
    {
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PostAsync(AlertWebhook.Path, content, ct);
        var answer = (await response.Content.ReadAsStringAsync(ct)).Trim();
        await o.WriteLineAsync($"  {what,-32} -> {(int)response.StatusCode} {answer}");
    }

    // What Alertmanager 0.25 posts for the demo host's nvidia exporter.
    private static string Payload(string status, DateTimeOffset startsAt, DateTimeOffset? endsAt) => $$"""
        {
          "receiver": "ledger", "status": "{{status}}", "version": "4", "truncatedAlerts": 0,
          "groupKey": "{}:{alertname=\"GpuTemperatureHigh\"}", "externalURL": "http://mediabox:9093",
          "groupLabels": {"alertname": "GpuTemperatureHigh"}, "commonLabels": {}, "commonAnnotations": {},
          "alerts": [{
            "status": "{{status}}",
            "labels": {"alertname": "GpuTemperatureHigh", "instance": "mediabox:9835", "job": "nvidia", "severity": "warning"},
            "annotations": {"summary": "GPU 0 above 85 C for 5 minutes while transcoding"},
            "startsAt": "{{startsAt:yyyy-MM-ddTHH:mm:ss.fffZ}}",
            "endsAt": "{{(endsAt is { } e ? e.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) : "0001-01-01T00:00:00Z")}}",
            "generatorURL": "http://mediabox:9090/graph?g0.expr=nvidia_smi_temperature_gpu+%3E+85",
            "fingerprint": "7d3c5e9a1b2f4c60"
          }]
        }
        """;
}
