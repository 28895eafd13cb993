using Ledger.Core.Errors;

namespace Ledger.Store;

/// <summary>Database and embedded-cluster errors, with what to do about them.</summary>
public sealed class StoreException : LedgerException
{
    public StoreException(string message, int exitCode = ExitCodes.UsageOrEnvironment, Exception? inner = null)
        : base(message, exitCode, inner)
    {
    }
}
