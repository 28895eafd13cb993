using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Checks;

/// <summary>
/// A real Prometheus on a free loopback port, scraping itself (up) and a port where nothing
/// listens (down), every second. Ready once both targets have been scraped at least once.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    public const string Binary = "/usr/bin/prometheus";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _log = new();
    private TempDirectory? _folder;
    private Process? _process;

    public Uri Url { get; private set; } = new("http://127.0.0.1:9");

    /// <summary>The port of the target that is down.</summary>
    public int DownPort { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            return;
        }

        _folder = new TempDirectory("ledger-prometheus");
        var port = FreePort.Next();
        DownPort = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}");
        var config = Path.Combine(_folder.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ["127.0.0.1:{port}"]
              - job_name: missing-exporter
                static_configs:
                  - targets: ["127.0.0.1:{DownPort}"]

            """);

        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(_folder.Path, "data")}");
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        _process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilScrapedAsync();
    }

    public async Task DisposeAsync()
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

        _folder?.Dispose();
    }

    private async Task WaitUntilScrapedAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + Patience;
        var last = "";
        while (DateTime.UtcNow < until)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}:\n{string.Join('\n', _log)}");
            }

            try
            {
                last = await http.GetStringAsync(new Uri(Url, "/api/v1/targets?state=active"));
                using var document = JsonDocument.Parse(last);
                var health = document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                    .Select(t => t.GetProperty("health").GetString())
                    .ToList();
                if (health.Count == 2 && !health.Contains("unknown"))
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

            await Task.Delay(200);
        }

        throw new TimeoutException($"prometheus did not scrape both targets within {Patience.TotalSeconds}s; last answer: {last}\n{string.Join('\n', _log)}");
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }
}
