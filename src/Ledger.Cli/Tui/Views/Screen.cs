namespace Ledger.Cli.Tui.Views;

/// <summary>The screens of the TUI; Esc and q go back along this order to the timeline.</summary>
internal enum Screen
{
    Timeline,
    Details,
    Help,
    Restore,
    Validation,
    Why,
    Fleet,
}
