namespace Ledger.Core.Reports;

/// <summary>
/// One firing of an alert and, when one came, the resolution that ended it. <see cref="AlertName"/>
/// and <see cref="Severity"/> are the firing's.
/// </summary>
public sealed record AlertOccurrence(string Fingerprint, string AlertName, string? Severity, DateTimeOffset FiredAt, long FiredSeq, DateTimeOffset? ResolvedAt)
{
    public bool Open => ResolvedAt is null;

    /// <summary>From firing to resolution, never negative; null while open.</summary>
    public double? SecondsToResolve => ResolvedAt is { } r ? Math.Max(0, (r - FiredAt).TotalSeconds) : null;
}
