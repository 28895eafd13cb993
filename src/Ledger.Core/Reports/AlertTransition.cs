namespace Ledger.Core.Reports;

/// <summary>
/// One alert changing state: fired (<see cref="Firing"/>) or resolved, at <see cref="At"/> (the
/// firing's <c>startsAt</c>, the resolution's <c>endsAt</c>). <see cref="Seq"/> is the event's
/// sequence number (0 where unknown); <see cref="Severity"/> the firing's severity label.
/// </summary>
public sealed record AlertTransition(string Fingerprint, string AlertName, DateTimeOffset At, bool Firing, string? Severity = null, long Seq = 0);
