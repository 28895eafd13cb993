using Ledger.Core.Events;

namespace Ledger.Core.Deploy;

/// <summary>What <see cref="DeployDecider"/> tells the engine to do next.</summary>
public abstract record DeployAction
{
    private DeployAction()
    {
    }

    /// <summary>Run the checklist against what is now running.</summary>
    public sealed record Validate : DeployAction;

    /// <summary>Look up the last deploy of the repository that validated.</summary>
    public sealed record FindRollbackTarget : DeployAction;

    /// <summary>Print <paramref name="Announcement"/>, then restore to event <paramref name="Seq"/> for <paramref name="Reason"/>.</summary>
    public sealed record RollBack(long Seq, string Announcement, string Reason) : DeployAction;

    /// <summary>
    /// End the deploy: print <paramref name="Notice"/> when there is one, record the outcome with
    /// <paramref name="Detail"/>, and return <paramref name="Message"/> and <paramref name="ExitCode"/>.
    /// </summary>
    public sealed record Finish(DeployOutcome Outcome, bool Validated, string? Detail, string? Notice, string Message, int ExitCode) : DeployAction;
}
