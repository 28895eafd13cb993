namespace Ledger.Core.Events;

/// <summary>
/// A systemd unit was restarted (<c>ledger service restart</c>). The container snapshots taken just
/// before and after are events of their own; their sequence numbers are kept here.
/// </summary>
public sealed record ServiceRestarted(
    string Host,
    string Actor,
    string Unit,
    string? Reason,
    bool Succeeded,
    string? Output = null,
    long DurationMs = 0,
    long? BeforeSnapshotSeq = null,
    long? AfterSnapshotSeq = null) : ILedgerEvent;
