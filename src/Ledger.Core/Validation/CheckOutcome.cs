using System.Globalization;
using Ledger.Core.Events;

namespace Ledger.Core.Validation;

/// <summary>
/// What running one check found. <see cref="Duration"/> and <see cref="OutputTruncated"/> are
/// set by the runner that measured and bounded it.
/// </summary>
public sealed record CheckOutcome(ValidationStatus Status, string Summary, IReadOnlyList<Finding> Findings, string? Output = null)
{
    public bool OutputTruncated { get; init; }

    public TimeSpan Duration { get; init; }

    public static CheckOutcome Pass(string summary, string? output = null) =>
        new(ValidationStatus.Pass, summary, [], output);

    public static CheckOutcome Fail(string summary, IReadOnlyList<Finding> findings, string? output = null) =>
        new(ValidationStatus.Fail, summary, findings, output);

    /// <summary>The check could not run: the program, the mount or the server was not there.</summary>
    public static CheckOutcome Error(string summary, IReadOnlyList<Finding>? findings = null, string? output = null) =>
        new(ValidationStatus.Error, summary, findings ?? [], output);

    public static CheckOutcome TimedOut(TimeSpan timeout, IReadOnlyList<Finding>? findings = null, string? output = null) =>
        Error(TimedOutSummary(timeout), findings, output);

    public static string TimedOutSummary(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.###}s");

    /// <summary>The event to append for this outcome of <paramref name="check"/>.</summary>
    public ValidationRun ToValidationRun(CheckDefinition check, string host, string actor, string? configCommit, string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new ValidationRun(
            Host: host,
            Actor: actor,
            Check: check.Name,
            CheckKind: check.Kind,
            Status: Status,
            DurationMs: (long)Duration.TotalMilliseconds,
            Summary: Summary,
            Findings: Findings,
            Output: Output,
            OutputTruncated: OutputTruncated,
            ConfigCommit: configCommit,
            RunId: runId);
    }
}
