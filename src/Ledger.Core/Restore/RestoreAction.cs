namespace Ledger.Core.Restore;

/// <summary>What <see cref="RestoreDecider"/> tells the engine to do next.</summary>
public abstract record RestoreAction
{
    private RestoreAction()
    {
    }

    /// <summary>Report the repository lock (taken before the journal existed) as the first step.</summary>
    public sealed record Lock : RestoreAction;

    /// <summary>Set local changes aside with <paramref name="Message"/>, if there are any.</summary>
    public sealed record Stash(string Message) : RestoreAction;

    /// <summary>Make (or find, after a crash) the commit with the target tree on top of HEAD; it is recorded once the switch succeeds.</summary>
    public sealed record Commit(string Message) : RestoreAction;

    /// <summary>Make the working tree equal HEAD's tree (the restore's commit).</summary>
    public sealed record Checkout : RestoreAction;

    /// <summary>Switch to <paramref name="ToGeneration"/> when set, else <c>nixos-rebuild switch</c> (with <paramref name="Flake"/>).</summary>
    public sealed record Switch(int? ToGeneration, string? Flake) : RestoreAction;

    /// <summary>Run the checklist at <paramref name="ChecksPath"/> (it may have gone since the restore began).</summary>
    public sealed record Validate(string ChecksPath) : RestoreAction;

    /// <summary>
    /// <paramref name="Step"/> is done: write <paramref name="Journal"/> (which has it), record the
    /// step with <paramref name="Detail"/> and print it.
    /// </summary>
    public sealed record Record(string Step, string Detail, RestoreJournal Journal) : RestoreAction;

    /// <summary>
    /// Take the restore's own commit back (the branch returns to where it was, files and index
    /// with it) and put the changes it set aside back in place: the attempt stays in the ledger,
    /// not in git history.
    /// </summary>
    public sealed record Undo(string Step, string Error) : RestoreAction;

    /// <summary>End the restore as failed at <paramref name="Step"/>.</summary>
    public sealed record Fail(string Step, string Error, string? UndoneTo, string Message) : RestoreAction;

    /// <summary>End the restore as done.</summary>
    public sealed record Complete(string Message) : RestoreAction;
}
