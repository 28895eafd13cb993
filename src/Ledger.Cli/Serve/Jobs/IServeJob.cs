namespace Ledger.Cli.Serve.Jobs;

/// <summary>One scheduled job of the daemon, run by <see cref="JobRunner"/> every <see cref="Interval"/>.</summary>
internal interface IServeJob
{
    /// <summary>The job's name in logs and in <c>ledger_job_runs_total{job=...}</c>.</summary>
    string Name { get; }

    TimeSpan Interval { get; }

    /// <summary>Run once as soon as the daemon starts, rather than one interval later.</summary>
    bool RunAtStart { get; }

    /// <summary>Does the work once and says what it did in a few words (logged), or null when there is nothing worth a log line.</summary>
    Task<string?> RunAsync(CancellationToken ct);
}
