namespace Ledger.Core.Alerts;

/// <summary>An alert's status in a webhook notification.</summary>
public enum AlertState
{
    Firing,
    Resolved,
}
