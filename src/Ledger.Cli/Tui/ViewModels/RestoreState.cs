namespace Ledger.Cli.Tui.ViewModels;

/// <summary>Where a restore started from the TUI stands.</summary>
internal enum RestoreState
{
    Planning,
    Confirming,
    NothingToDo,
    Running,
    Succeeded,
    Failed,
}
