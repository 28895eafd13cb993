namespace Ledger.Core.Reports;

/// <summary>One alert changing state: fired (<see cref="Firing"/>) or resolved, at <see cref="At"/>.</summary>
public sealed record AlertTransition(string Fingerprint, string AlertName, DateTimeOffset At, bool Firing);
