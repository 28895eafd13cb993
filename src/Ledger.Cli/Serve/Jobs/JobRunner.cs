using Ledger.Core.Errors;
using Microsoft.Extensions.Hosting;
using Prometheus;
using Serilog;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>
/// Runs one job on a <see cref="PeriodicTimer"/>: never two runs of a job at once, a failure
/// logged (a repeat of the same failure only at debug level, so a machine without a GPU does not
/// fill the journal) and counted, and the next run on schedule. Stopping the daemon cancels a run.
/// </summary>
internal sealed class JobRunner : BackgroundService
{
    private readonly IServeJob _job;
    private readonly ServeContext _serve;
    private readonly ILogger _log;
    private string? _lastFailure;

    public JobRunner(IServeJob job, ServeContext serve)
    {
        _job = job;
        _serve = serve;
        _log = serve.Log.ForContext("Job", job.Name);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _log.Information("Schedule {Job}: every {Seconds} s", _job.Name, _job.Interval.TotalSeconds);
        try
        {
            if (_job.RunAtStart)
            {
                await RunOnceAsync(stoppingToken);
            }

            using var timer = new PeriodicTimer(_job.Interval, _serve.Clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            var summary = await _job.RunAsync(ct);
            _serve.Metrics.JobRuns.WithLabels(_job.Name, "ok").Inc();
            _serve.Metrics.JobLastSuccess.WithLabels(_job.Name).SetToTimeUtc(_serve.Clock.GetUtcNow());
            if (_lastFailure is not null)
            {
                _log.Information("{Job}: works again", _job.Name);
                _lastFailure = null;
            }

            if (summary is not null)
            {
                _log.Information("{Job}: {Summary}", _job.Name, summary);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _serve.Metrics.JobRuns.WithLabels(_job.Name, "error").Inc();
            // A LedgerException's message says it all; anything else is unexpected and keeps its stack.
            var exception = e is LedgerException ? null : e;
            if (e.Message == _lastFailure)
            {
                _log.Debug(exception, "{Job} failed again: {Message}", _job.Name, e.Message);
            }
            else
            {
                _log.Warning(exception, "{Job} failed: {Message}", _job.Name, e.Message);
            }

            _lastFailure = e.Message;
        }
    }
}
