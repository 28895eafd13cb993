using System.Net.Http.Headers;
using System.Text;
using Ledger.App.Daemon;
using Ledger.Capture.Processes;
using Ledger.Cli.Logging;
using Ledger.Cli.Serve;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.IntegrationTests.Serve;

/// <summary>
/// <c>ledger serve</c> in this process, on a free loopback port, against a test's store, logging
/// into a buffer. Every schedule is off unless the test's settings turn it on.
/// </summary>
internal sealed class TestServe : IAsyncDisposable
{
    public static readonly ServeIntervals AllOff = new() { Gpu = 0, Containers = 0, System = 0, Storage = 0, Validate = 0, Seal = 0, Git = 0, Generation = 0, Text = 0, Metrics = 0, Grafana = 0, Spool = 0 };

    private readonly ServeHost _host;
    private readonly Serilog.Core.Logger _logger;
    private readonly StringWriter _log;
    private bool _stopped;

    private TestServe(ServeHost host, Serilog.Core.Logger logger, StringWriter log)
    {
        _host = host;
        _logger = logger;
        _log = log;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url => _host.Url;

    public int Port => _host.Url.Port;

    public HttpClient Http { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public ServeContext Context => _host.Context;

    public IReadOnlyList<Cli.Serve.Jobs.IServeJob> Jobs => _host.Jobs;

    public static async Task<TestServe> StartAsync(
        LedgerStore store,
        string home,
        string host,
        ServeSettings? settings = null,
        string? token = null,
        IReadOnlyDictionary<string, string?>? env = null)
    {
        settings ??= new ServeSettings { Intervals = AllOff };
        var variables = env ?? new Dictionary<string, string?>();
        string? Env(string name) => variables.TryGetValue(name, out var v) ? v : null;
        var log = new StringWriter();
        var logger = LedgerLogging.ForDaemon(settings, Env, TextWriter.Synchronized(log), verbose: true);
        var context = new ServeContext(store, settings, host, home, Programs.FromEnvironment(Env), new ServeMetrics(host, TimeProvider.System), logger)
        {
            WebhookToken = token,
        };
        var serve = await ServeHost.StartAsync(context, ListenAddress.Parse("127.0.0.1:0"), CancellationToken.None);
        return new TestServe(serve, logger, log);
    }

    /// <summary>POSTs a webhook body, with a bearer token when given.</summary>
    public async Task<HttpResponseMessage> PostAlertsAsync(string json, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/alertmanager") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _host.DisposeAsync();
        await _logger.DisposeAsync();
        Http.Dispose();
    }

    /// <summary>Polls the store until <paramref name="done"/> holds for the host's events, or fails after <paramref name="seconds"/>.</summary>
    public static async Task<IReadOnlyList<TimelineEntry>> WaitForEventsAsync(LedgerStore store, string host, Func<IReadOnlyList<TimelineEntry>, bool> done, int seconds = 30, string? why = null)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var events = await store.TimelineAsync(new TimelineQuery { Host = host, Limit = null });
            if (done(events))
            {
                return events;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Waited {seconds} s for {why ?? "the events"}; {host} has: {string.Join("; ", events.Select(e => $"{e.Type} {e.Title}"))}");
            }

            await Task.Delay(200);
        }
    }
}
