namespace Ledger.Cli.Tui.ViewModels;

/// <summary>Where a validation run started from the TUI stands.</summary>
internal enum ValidationState
{
    Running,
    Passed,
    Failed,
    CouldNotRun,
}
