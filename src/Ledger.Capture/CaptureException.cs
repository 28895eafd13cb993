using Ledger.Core.Errors;

namespace Ledger.Capture;

/// <summary>A collector could not read what it was asked to, with what to do about it.</summary>
public sealed class CaptureException : LedgerException
{
    public CaptureException(string message, int exitCode = ExitCodes.UsageOrEnvironment, Exception? inner = null)
        : base(message, exitCode, inner)
    {
    }

    public CaptureException()
    {
    }

    public CaptureException(string message)
        : base(message)
    {
    }

    public CaptureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
