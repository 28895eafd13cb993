using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

/// <summary>
/// A real Alertmanager on a free loopback port (clustering off, storage in a temporary folder)
/// whose only receiver is a webhook to <c>ledger serve</c>, with a bearer token. It notifies at
/// once (group_wait 0s), re-evaluates every second and repeats a firing alert every second, so
/// that a test sees repeats within a few seconds.
/// </summary>
internal sealed class AlertmanagerProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _log = new();
    private readonly TempDirectory _folder = new("ledger-alertmanager");
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    public Uri Url { get; private set; } = new("http://127.0.0.1:9");

    public string Log => string.Join('\n', _log);

    public static async Task<AlertmanagerProcess> StartAsync(Uri webhook, string token)
    {
        var am = new AlertmanagerProcess();
        await am.LaunchAsync(new Uri(webhook, "/alertmanager"), token);
        return am;
    }

    /// <summary>POST /api/v2/alerts: one alert, firing from <paramref name="startsAt"/>, resolved when <paramref name="endsAt"/> is in the past.</summary>
    public async Task PostAlertAsync(IReadOnlyDictionary<string, string> labels, DateTimeOffset startsAt, DateTimeOffset? endsAt = null)
    {
        var alert = new JsonObject
        {
            ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["annotations"] = new JsonObject { ["summary"] = "posted by a Ledger test" },
            ["startsAt"] = startsAt.ToString("O"),
            ["generatorURL"] = "http://prometheus.example:9090/graph",
        };
        if (endsAt is { } end)
        {
            alert["endsAt"] = end.ToString("O");
        }

        using var response = await _http.PostAsJsonAsync(new Uri(Url, "/api/v2/alerts"), new JsonArray(alert));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        _http.Dispose();
        _folder.Dispose();
    }

    private async Task LaunchAsync(Uri webhook, string token)
    {
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}");
        var config = Path.Combine(_folder.Path, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: ledger
              group_by: ["alertname"]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1s
            receivers:
              - name: ledger
                webhook_configs:
                  - url: "{webhook}"
                    send_resolved: true
                    http_config:
                      authorization:
                        credentials: "{token}"

            """);

        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.path={Path.Combine(_folder.Path, "data")}");
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        start.ArgumentList.Add("--cluster.listen-address=");
        _process = Process.Start(start) ?? throw new InvalidOperationException("alertmanager did not start");
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"alertmanager exited with code {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var ready = await _http.GetAsync(new Uri(Url, "/-/ready"));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"alertmanager was not ready within {Patience.TotalSeconds} s:\n{Log}");
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }
}
