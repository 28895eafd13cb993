namespace Ledger.Core.Processes;

/// <summary>How a program ended and what it printed (empty when its lines went to <see cref="ProgramCall.OutputLines"/>).</summary>
public sealed record ProgramResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Output => StandardOutput + StandardError;
}
