namespace Ledger.Cli.Tui.ViewModels;

/// <summary>What a key does in the TUI; <see cref="KeyMap"/> binds keys to these.</summary>
internal enum TuiAction
{
    Help,
    Filter,
    NextMatch,
    PreviousMatch,
    CommandLine,
    Details,
    Back,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Quit,
    Restore,
    ChangeDoc,
    MonthlyReport,
    Validate,
    Annotate,
    Why,
    Fleet,
}
