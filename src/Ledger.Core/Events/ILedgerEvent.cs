namespace Ledger.Core.Events;

/// <summary>
/// Every event in the catalogue says which host it is about and who caused it: the real user
/// behind sudo, or the service account for what the daemon records.
/// </summary>
public interface ILedgerEvent
{
    string Host { get; }

    string Actor { get; }
}
