namespace Ledger.Cli.Tui.ViewModels;

/// <summary>Where a restore started from the TUI stands.</summary>
internal enum RestoreState
{
    Planning,
    Confirming,
    NothingToDo,

    /// <summary>The plan is shown, but something stops the restore (the plan's "stop:" lines); nothing can be confirmed.</summary>
    Blocked,
    Running,
    Succeeded,
    Failed,
}
