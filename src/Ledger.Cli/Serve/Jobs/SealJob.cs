namespace Ledger.Cli.Serve.Jobs;

/// <summary>
/// The sealing schedule. This build has no hash chain (<c>ledger seal</c> arrives with the
/// chain work), so a configured interval is accepted and reported, and nothing runs.
/// </summary>
internal static class SealJob
{
    public const string Unavailable = "seal not available in this build";

    /// <summary>The job to run, or null (with a log line) when sealing cannot run here.</summary>
    public static IServeJob? Create(TimeSpan interval, ServeContext serve)
    {
        serve.Log.Warning("Schedule seal: every {Seconds} s is configured, but {Reason}; the schedule is disabled", interval.TotalSeconds, Unavailable);
        return null;
    }
}
