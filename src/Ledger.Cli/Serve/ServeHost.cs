using System.Diagnostics;
using Ledger.Cli.Serve.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;
using Serilog;

namespace Ledger.Cli.Serve;

/// <summary>
/// The daemon: Kestrel with four endpoints (<c>POST /alertmanager</c>, <c>POST /record/commit</c>
/// for the git hook, <c>GET /metrics</c>, <c>GET /healthz</c>) and the scheduled jobs, built on an empty host (no appsettings.json, no
/// ASPNETCORE_* variables: serve.json and the flags are the only settings). Signals are left to
/// the caller: <see cref="StopAsync"/> stops accepting, lets requests in flight finish (an
/// acknowledged alert is committed), then stops the jobs.
/// </summary>
internal sealed class ServeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServeHost(WebApplication app, ServeContext context, Uri url, IReadOnlyList<IServeJob> jobs)
    {
        _app = app;
        Context = context;
        Url = url;
        Jobs = jobs;
    }

    public ServeContext Context { get; }

    /// <summary>The address the daemon answers on (the real port when asked for port 0).</summary>
    public Uri Url { get; }

    public IReadOnlyList<IServeJob> Jobs { get; }

    /// <summary>Stopped by itself (a fatal error in the host), not by <see cref="StopAsync"/>.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static async Task<ServeHost> StartAsync(ServeContext serve, ListenAddress listen, CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "ledger" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = serve.Settings.MaxBodyBytes;
            if (listen.Address is null)
            {
                k.ListenLocalhost(listen.Port);
            }
            else
            {
                k.Listen(listen.Address, listen.Port);
            }
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(serve.Settings.ShutdownSeconds));
        builder.Services.AddSingleton<IHostLifetime, CallerHandlesSignals>();
        builder.Logging.AddSerilog(serve.Log);

        var jobs = CreateJobs(serve);
        serve.Metrics.WatchSpool(serve.Spool);
        foreach (var job in jobs)
        {
            builder.Services.AddSingleton<IHostedService>(new JobRunner(job, serve));
        }

        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            var watch = Stopwatch.StartNew();
            await next(http);
            serve.Log.Debug("HTTP {Method} {Path} {Status} in {Ms:0.0} ms", http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, watch.Elapsed.TotalMilliseconds);
        });
        app.MapPost(AlertWebhook.Path, http => AlertWebhook.HandleAsync(http, serve));
        app.MapPost(CommitEndpoint.Path, http => CommitEndpoint.HandleAsync(http, serve));
        app.MapMetrics("/metrics", serve.Metrics.Registry);
        app.MapGet("/healthz", http => HealthAsync(http, serve));
        app.MapGet("/", http => http.Response.WriteAsync($"ledger serve for host {serve.Host}: POST {AlertWebhook.Path}, POST {CommitEndpoint.Path}, GET /metrics, GET /healthz\n"));

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.Replace("://[::]:", "://localhost:", StringComparison.Ordinal).Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal));
        serve.Log.Information(
            "ledger serve for host {Host} listening on {Url} (webhook {Auth}, body limit {Limit} bytes)",
            serve.Host,
            address,
            serve.WebhookToken is null ? "without a token" : "with a bearer token",
            serve.Settings.MaxBodyBytes);
        if (serve.WebhookToken is null && !listen.IsLoopback)
        {
            serve.Log.Warning("The webhook listens on {Listen} without a token: anyone who reaches it can record alerts. Give --token-file.", listen);
        }

        return new ServeHost(app, serve, url, jobs);
    }

    /// <summary>Stops accepting connections, waits for requests in flight (up to shutdownSeconds), then stops the jobs.</summary>
    public async Task StopAsync()
    {
        Context.Log.Information("Stopping: finishing requests in flight");
        await _app.StopAsync(CancellationToken.None);
        Context.Log.Information("Stopped");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static List<IServeJob> CreateJobs(ServeContext serve)
    {
        var intervals = serve.Settings.Intervals;
        var jobs = new List<IServeJob>();
        TimeSpan Every(string name) => TimeSpan.FromSeconds(intervals.Get(name));
        foreach (var kind in ServeMetrics.SnapshotTypes.Keys)
        {
            if (intervals.Get(kind) > 0)
            {
                jobs.Add(new SnapshotJob(kind, Every(kind), serve));
            }
        }

        if (intervals.Validate > 0)
        {
            jobs.Add(new ValidationJob(Every("validate"), serve));
        }

        if (intervals.Seal > 0)
        {
            jobs.Add(new SealJob(Every("seal"), serve));
        }

        if (intervals.Git > 0)
        {
            jobs.Add(new GitWatchJob(Every("git"), serve));
        }

        if (intervals.Generation > 0)
        {
            jobs.Add(new GenerationWatchJob(Every("generation"), serve));
        }

        if (intervals.Text > 0)
        {
            jobs.Add(new TextIndexJob(Every("text"), serve));
        }

        if (intervals.Metrics > 0)
        {
            jobs.Add(new MetricsRefreshJob(Every("metrics"), serve));
        }

        if (intervals.Spool > 0)
        {
            jobs.Add(new SpoolJob(Every("spool"), serve));
        }

        if (serve.Settings.Grafana is { } grafana && intervals.Grafana > 0)
        {
            jobs.Add(new GrafanaAnnotationsJob(grafana, Every("grafana"), serve, new HttpClient { Timeout = TimeSpan.FromSeconds(15) }));
        }

        return jobs;
    }

    private static async Task HealthAsync(HttpContext http, ServeContext serve)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        http.Response.ContentType = "text/plain; charset=utf-8";
        try
        {
            await serve.Store.Stats.PingAsync(timeout.Token);
            await http.Response.WriteAsync("ok\n");
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await http.Response.WriteAsync($"database unreachable: {(e is OperationCanceledException ? "no answer within 5 s" : Core.Text.TerminalText.EscapeLine(e.Message))}\n");
        }
    }

    /// <summary>No console lifetime: SIGTERM and Ctrl+C reach <c>ledger serve</c> through its command's cancellation, and the tests run several hosts in one process.</summary>
    private sealed class CallerHandlesSignals : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
