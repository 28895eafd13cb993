using Ledger.Core.Errors;

namespace Ledger.Capture;

/// <summary>A collector could not read what it was asked to, with what to do about it.</summary>
public sealed class CaptureException : LedgerException
{
    public CaptureException(string message, int exitCode = ExitCodes.UsageOrEnvironment, Exception? inner = null)
        : base(message, exitCode, inner)
    {
    }
}
