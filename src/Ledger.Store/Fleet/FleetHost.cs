namespace Ledger.Store.Fleet;

/// <summary>One host of the fleet, as <c>ledger fleet hosts</c> lists it.</summary>
/// <param name="Host">The host name events carry.</param>
/// <param name="Role">Its login role when <c>fleet add-host</c> made one; null for a host whose events another role writes (the owner, a machine's own application role).</param>
/// <param name="AddedAt">When its role was made.</param>
/// <param name="Events">Its events.</param>
/// <param name="LastSeq">Its newest event's sequence number.</param>
/// <param name="LastAt">When its newest event happened.</param>
/// <param name="LastType">Its newest event's stored type (<c>config_edited</c>, ...).</param>
/// <param name="LastChangeAt">When its last configuration change (commit) was made.</param>
/// <param name="LastChange">That change: short hash and purpose.</param>
/// <param name="LastDeployAt">When its last deploy ended.</param>
/// <param name="LastDeployOutcome">How it ended, in words ("succeeded", "rolled back").</param>
/// <param name="OpenAlerts">Alert firings with no resolution yet.</param>
/// <param name="Unsealed">Its events after the chain's head (not sealed yet, not a failure).</param>
/// <param name="Problems">Chain problems at its events (<c>ledger verify</c>); zero when its sealed events verify.</param>
public sealed record FleetHost(
    string Host,
    string? Role,
    DateTimeOffset? AddedAt,
    long Events,
    long? LastSeq,
    DateTimeOffset? LastAt,
    string? LastType,
    DateTimeOffset? LastChangeAt,
    string? LastChange,
    DateTimeOffset? LastDeployAt,
    string? LastDeployOutcome,
    int OpenAlerts,
    long Unsealed,
    int Problems)
{
    public bool Verifies => Problems == 0;
}
