namespace Ledger.Core.Errors;

/// <summary>The documented process exit codes (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation ran and found a failure: a failing check, a tamper, a failed deploy.</summary>
    public const int Failure = 1;

    /// <summary>Usage or environment error: bad arguments, bad path, not a git repository, database unreachable.</summary>
    public const int UsageOrEnvironment = 2;

    /// <summary>The database server's disk is full (SQLSTATE 53100): nothing of the failed step was stored.</summary>
    public const int DatabaseFull = 3;
}
