namespace Ledger.Cli.Serve.Jobs;

/// <summary>Re-reads what <c>/metrics</c> shows from the database.</summary>
internal sealed class MetricsRefreshJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    public string Name => "metrics";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        await serve.Metrics.RefreshAsync(serve.Store.Stats, ct);
        return null;
    }
}
