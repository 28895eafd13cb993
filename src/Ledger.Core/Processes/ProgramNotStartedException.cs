using Ledger.Core.Errors;

namespace Ledger.Core.Processes;

/// <summary>A program could not be started at all (missing, not executable); callers add what to do about it.</summary>
public sealed class ProgramNotStartedException : LedgerException
{
    public ProgramNotStartedException(string program, string reason, Exception? inner = null)
        : base($"Could not start {program}: {reason}", ExitCodes.UsageOrEnvironment, inner)
    {
        Program = program;
        Reason = reason;
    }

    public ProgramNotStartedException()
        : this("a program", "unknown reason")
    {
    }

    public ProgramNotStartedException(string message)
        : this(message, "unknown reason")
    {
    }

    public ProgramNotStartedException(string message, Exception innerException)
        : this(message, innerException.Message, innerException)
    {
    }

    public string Program { get; }

    public string Reason { get; }
}
