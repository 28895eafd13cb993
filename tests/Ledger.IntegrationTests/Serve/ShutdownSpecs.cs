using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Serve;

/// <summary>The real <c>ledger</c> binary as a child process, stopped with SIGTERM in the middle of a burst of webhook posts.</summary>
public sealed class ShutdownSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Token = "burst-token";

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve-term");

    public ShutdownSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task SIGTERM_during_a_burst_of_webhook_posts_loses_no_alert_that_got_a_2xx()
    {
        // Arrange: serve.json in LEDGER_HOME turns the schedules off; the flags the NixOS unit passes.
        var port = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(_home.Path, "serve.json"), """
            // schedules off: only the webhook matters here
            { "intervals": { "gpu": 0, "containers": 0, "system": 0, "storage": 0, "git": 0, "metrics": 0 }, "shutdownSeconds": 20, }
            """);
        var tokenFile = Path.Combine(_home.Path, "webhook-token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        using var ledger = StartLedger("serve", "--listen", $"127.0.0.1:{port}", "--token-file", tokenFile);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilHealthyAsync(http, port, ledger);

        // Act: eight posters, each sending distinct alerts back to back, until the daemon is gone.
        var acknowledged = new ConcurrentBag<string>();
        var refused = 0;
        using var stopPosting = new CancellationTokenSource();
        var posters = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stopPosting.IsCancellationRequested; i++)
            {
                var fingerprint = $"{worker:x2}{i:x14}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/alertmanager")
                {
                    Content = new StringContent(AlertBodies.Firing("Burst", fingerprint), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add(fingerprint);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(10);
                }
            }
        })).ToList();

        await WaitUntilAsync(() => acknowledged.Count >= 40, "40 acknowledged posts");
        using (var kill = Process.Start("kill", ["-TERM", ledger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var exited = ledger.WaitForExitAsync();
        await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30)));
        await stopPosting.CancelAsync();
        await Task.WhenAll(posters);

        // Assert
        ledger.HasExited.ShouldBeTrue("ledger serve did not stop within 30 s of SIGTERM");
        var output = await ledger.StandardOutput.ReadToEndAsync() + await ledger.StandardError.ReadToEndAsync();
        ledger.ExitCode.ShouldBe(0, output);
        output.ShouldContain("Stopped");
        refused.ShouldBeGreaterThan(0, "posts after the stop found nobody listening");
        var stored = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "term-host", Kinds = ["alert"], Limit = null }))
            .Select(e => ((AlertFired)e.Data).Fingerprint)
            .ToHashSet();
        acknowledged.Where(f => !stored.Contains(f)).ShouldBeEmpty("every alert answered with a 2xx is stored");
        stored.Count.ShouldBeGreaterThanOrEqualTo(acknowledged.Count);
    }

    private Process StartLedger(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LEDGER_DB"] = _db.ConnectionString;
        psi.Environment["LEDGER_HOME"] = _home.Path;
        psi.Environment["LEDGER_HOST"] = "term-host";
        psi.Environment.Remove("LEDGER_WEBHOOK_TOKEN");
        psi.Environment.Remove("JOURNAL_STREAM");
        return Process.Start(psi)!;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, int port, Process ledger)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (ledger.HasExited)
            {
                throw new InvalidOperationException($"ledger serve exited with {ledger.ExitCode}: {await ledger.StandardError.ReadToEndAsync()}{await ledger.StandardOutput.ReadToEndAsync()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("ledger serve did not answer /healthz within 60 s");
    }

    private static async Task WaitUntilAsync(Func<bool> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Waited 30 s for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
