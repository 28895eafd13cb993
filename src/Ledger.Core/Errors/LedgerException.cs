namespace Ledger.Core.Errors;

/// <summary>
/// The root of every error Ledger reports to a user. The message says what was wrong and what to
/// do next; <see cref="ExitCode"/> is the documented process exit code.
/// </summary>
public class LedgerException : Exception
{
    public LedgerException(string message, int exitCode = ExitCodes.UsageOrEnvironment, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public LedgerException()
        : this("Ledger failed.")
    {
    }

    public LedgerException(string message)
        : this(message, ExitCodes.UsageOrEnvironment)
    {
    }

    public LedgerException(string message, Exception innerException)
        : this(message, ExitCodes.UsageOrEnvironment, innerException)
    {
    }

    public int ExitCode { get; }
}
