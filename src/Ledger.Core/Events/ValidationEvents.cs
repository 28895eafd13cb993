namespace Ledger.Core.Events;

public enum ValidationStatus
{
    Pass,
    Fail,
    Error,
}

/// <summary>One thing a check found, e.g. a container in a restart loop or a target down.</summary>
public sealed record Finding(string Subject, string Message, string Severity = "error");

/// <summary>
/// One check of the validation checklist ran. <see cref="ConfigCommit"/> is the configuration
/// commit in effect, which links the run to the change it validated.
/// </summary>
public sealed record ValidationRun(
    string Host,
    string Actor,
    string Check,
    string CheckKind,
    ValidationStatus Status,
    long DurationMs,
    string Summary,
    IReadOnlyList<Finding> Findings,
    string? Output,
    bool OutputTruncated,
    string? ConfigCommit,
    string? RunId = null) : ILedgerEvent;
