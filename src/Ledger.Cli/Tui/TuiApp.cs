using Ledger.Cli.Tui.Views;
using Terminal.Gui.App;

namespace Ledger.Cli.Tui;

/// <summary>Runs the TUI on the terminal until the admin quits. Only <c>ledger tui</c> loads Terminal.Gui.</summary>
internal static class TuiApp
{
    public static void Run(TuiServices services)
    {
        using IApplication app = Application.Create();
        app.Init();
        using var window = new LedgerWindow(app, services);
        app.Run(window);
    }
}
