using Ledger.App.Spool;
using Ledger.Store;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>
/// Delivers the events kept in the spool while the database could not be reached, as
/// <c>ledger sync</c> does: the daemon retries by itself, so a host catches up once the database
/// answers again without anyone running a command. A database still away fails the run (counted in
/// <c>ledger_job_runs_total{job="spool",outcome="error"}</c>, logged once until it changes).
/// </summary>
internal sealed class SpoolJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    public string Name => "spool";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        var spool = serve.Spool;
        if (!spool.HasPending)
        {
            return null;
        }

        var report = await SpoolDelivery.DeliverAsync(spool, serve.Store, SpoolDelivery.SyncLockWait, serve.Log, ct);
        foreach (var rejected in report.Rejected)
        {
            serve.Log.Warning("A spool file cannot be read back and was moved to {File}: {Reason}", rejected.File, rejected.Reason);
        }

        if (report.Problem(spool.Folder, serve.Store.Description) is { } problem && !report.Busy)
        {
            throw new StoreException($"{report.Summary(spool.Folder)} {char.ToUpperInvariant(problem[0])}{problem[1..]}", report.ExitCode);
        }

        return report.Busy ? "another process is delivering the spool" : report.Summary(spool.Folder);
    }
}
