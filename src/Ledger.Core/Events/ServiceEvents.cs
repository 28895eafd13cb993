namespace Ledger.Core.Events;

/// <summary>A systemd unit or container was restarted, by Ledger or observed by it.</summary>
public sealed record ServiceRestarted(
    string Host,
    string Actor,
    string Unit,
    string? Reason,
    bool Succeeded) : ILedgerEvent;
