using Ledger.App.Daemon;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>The schedule of <see cref="GrafanaAnnotations"/>: deploys and restores posted to Grafana.</summary>
internal sealed class GrafanaAnnotationsJob(GrafanaSettings grafana, TimeSpan interval, ServeContext serve, HttpClient http) : IServeJob
{
    private readonly GrafanaAnnotations _annotations = new(grafana, serve.Store, serve.Host, serve.Home, http);

    public string Name => "grafana";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public Task<string?> RunAsync(CancellationToken ct) => _annotations.RunAsync(ct);
}
