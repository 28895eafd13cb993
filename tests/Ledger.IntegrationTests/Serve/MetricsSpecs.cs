using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ledger.App.Daemon;
using Ledger.Cli.Serve;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Serve;

public sealed class MetricsSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    // Debian's prometheus package brings it.
    private const string Promtool = "/usr/bin/promtool";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve-metrics");

    public MetricsSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Metrics_show_event_counts_the_last_deploy_validation_restore_and_snapshot_ages_of_the_host()
    {
        // Arrange
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Deploy("m-host", "d1"), new DeployFinished("m-host", "t", "d1", "/etc/nixos", "abc123", "switch", true, DeployOutcome.RolledBack, 41, 5000, 0, null, null), at));
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Validations("m-host"), new ValidationRun("m-host", "t", "disk", "disk", ValidationStatus.Pass, 1, "ok", [], null, false, null, "r1"), at));
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Validations("m-host"), new ValidationRun("m-host", "t", "gpu", "gpu", ValidationStatus.Fail, 1, "hot", [], null, false, null, "r1"), at));
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Restore("m-host", "r1"), new RestoreFailed("m-host", "t", "r1", "switch", "boom", null), at));
        await _db.Store.AppendAsync(new NewEvent(StreamKeys.Snapshots("m-host", "system"), new SystemSnapshotTaken("m-host", "t", "6.12", 3600, 0.5, 0.4, 0.3, 1000, 500, 41, "25.05"), at));
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "m-host", new ServeSettings { Intervals = TestServe.AllOff with { Metrics = 1 } });

        // Act
        var text = await ScrapeRefreshedAsync(serve);

        // Assert
        Value(text, """ledger_last_deploy_outcome{host="m-host",outcome="rolledBack"}""").ShouldBe(1);
        Value(text, """ledger_last_deploy_outcome{host="m-host",outcome="succeeded"}""").ShouldBe(0);
        Value(text, """ledger_last_deploy_timestamp_seconds{host="m-host"}""").ShouldBe(at.ToUnixTimeMilliseconds() / 1000.0, 0.01);
        Value(text, """ledger_last_validation_checks{host="m-host",status="pass"}""").ShouldBe(1);
        Value(text, """ledger_last_validation_checks{host="m-host",status="fail"}""").ShouldBe(1);
        Value(text, """ledger_last_restore_success{host="m-host"}""").ShouldBe(0);
        Value(text, """ledger_last_snapshot_age_seconds{host="m-host",kind="system"}""").ShouldBeInRange(590, 700);
        Value(text, """ledger_events{type="deploy_finished",kind="deploy"}""").ShouldBeGreaterThanOrEqualTo(1);
        Value(text, "ledger_database_up").ShouldBe(1);
        text.ShouldNotContain("\nledger_chain_head_sequence ", customMessage: "nothing is sealed in this database: " + text);
        text.ShouldNotContain("""{host="m-host",kind="gpu"}""", customMessage: "no GPU snapshot of this host: no age");
    }

    [Fact]
    public async Task The_chain_head_is_shown_once_something_is_sealed()
    {
        // Arrange: a database of its own, with two events sealed.
        await using var db = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "chain");
        await using var store = await LedgerStore.OpenAsync(db.ConnectionString);
        var metrics = new ServeMetrics("chain-host", TimeProvider.System);
        await metrics.RefreshAsync(store.Stats, CancellationToken.None);
        var before = await ExportAsync(metrics);
        await store.AppendAsync(new NewEvent(StreamKeys.Validations("chain-host"), new ValidationRun("chain-host", "t", "disk", "disk", ValidationStatus.Pass, 1, "ok", [], null, false, null)));
        var last = await store.AppendAsync(new NewEvent(StreamKeys.Validations("chain-host"), new ValidationRun("chain-host", "t", "disk", "disk", ValidationStatus.Pass, 1, "ok", [], null, false, null)));
        await store.Chain.SealAsync();

        // Act
        await metrics.RefreshAsync(store.Stats, CancellationToken.None);
        var after = await ExportAsync(metrics);

        // Assert
        before.ShouldNotContain("\nledger_chain_head_sequence ", customMessage: "nothing sealed yet");
        Value(after, "ledger_chain_head_sequence").ShouldBe(last);
    }

    private static async Task<string> ExportAsync(ServeMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [PrometheusFact]
    public async Task Prometheus_scrapes_metrics_as_up_and_queries_the_recorded_alerts()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "prom-host", new ServeSettings { Intervals = TestServe.AllOff with { Metrics = 1 } });
        (await serve.PostAlertsAsync(AlertBodies.Firing("Scraped", "5c4a9e0000000001"))).EnsureSuccessStatusCode();
        await using var prometheus = await PrometheusScraping.StartAsync(serve.Port);

        // Act
        var up = await prometheus.WaitForAsync("up{job=\"ledger\"}", v => v == 1);
        var fired = await prometheus.WaitForAsync("ledger_events{type=\"alert_fired\"}", v => v >= 1);

        // Assert
        up.ShouldBe(1);
        fired.ShouldBeGreaterThanOrEqualTo(1);
    }

    [PrometheusFact]
    public async Task Metrics_are_valid_exposition_text_for_promtool()
    {
        // Arrange
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "lint-host", new ServeSettings { Intervals = TestServe.AllOff with { Metrics = 1 } });
        (await serve.PostAlertsAsync(AlertBodies.Firing("Linted", "5c4a9e0000000002"))).EnsureSuccessStatusCode();
        var text = await ScrapeRefreshedAsync(serve);

        // Act
        var start = new ProcessStartInfo(Promtool, ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(start)!;
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        // Assert
        promtool.ExitCode.ShouldBe(0, output + "\n" + text);
    }

    /// <summary>The metrics once the first refresh from the database is done.</summary>
    private static async Task<string> ScrapeRefreshedAsync(TestServe serve)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var text = await serve.Http.GetStringAsync("/metrics");
            if (text.Contains("\nledger_database_up 1", StringComparison.Ordinal) || DateTime.UtcNow > until)
            {
                return text;
            }

            await Task.Delay(100);
        }
    }

    private static double Value(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new ShouldAssertException($"{series} is not in\n{exposition}");
        return double.Parse(line[(series.Length + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>A real Prometheus scraping one ledger serve every second.</summary>
    private sealed class PrometheusScraping : IAsyncDisposable
    {
        private readonly TempDirectory _folder = new("ledger-prom-scrape");
        private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        private Process? _process;
        private Uri _url = new("http://127.0.0.1:9");

        public static async Task<PrometheusScraping> StartAsync(int ledgerPort)
        {
            var p = new PrometheusScraping();
            var port = FreePort.Next();
            p._url = new Uri($"http://127.0.0.1:{port}");
            var config = Path.Combine(p._folder.Path, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: ledger
                    static_configs:
                      - targets: ["127.0.0.1:{ledgerPort}"]

                """);
            var start = new ProcessStartInfo(PrometheusFixture.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add($"--config.file={config}");
            start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(p._folder.Path, "data")}");
            start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
            p._process = Process.Start(start)!;
            p._process.OutputDataReceived += (_, _) => { };
            p._process.ErrorDataReceived += (_, _) => { };
            p._process.BeginOutputReadLine();
            p._process.BeginErrorReadLine();
            return p;
        }

        /// <summary>Queries until the first sample's value satisfies <paramref name="done"/> (30 s at most).</summary>
        public async Task<double> WaitForAsync(string query, Func<double, bool> done)
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            var last = "";
            while (DateTime.UtcNow < until)
            {
                try
                {
                    last = await _http.GetStringAsync(new Uri(_url, "/api/v1/query?query=" + Uri.EscapeDataString(query)));
                    using var doc = JsonDocument.Parse(last);
                    var result = doc.RootElement.GetProperty("data").GetProperty("result");
                    if (result.GetArrayLength() > 0)
                    {
                        var value = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                        if (done(value))
                        {
                            return value;
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"{query}: no satisfying answer in 30 s; last: {last}");
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
    }
}
