using Ledger.Cli.Tui.ViewModels;

namespace Ledger.Cli.Tui.Views;

/// <summary>The fleet screen (<c>F</c>): one line per host; Enter shows that host's timeline.</summary>
internal sealed partial class LedgerWindow
{
    /// <summary>The hosts shown by <c>F</c>, or null.</summary>
    public FleetViewModel? Fleet { get; private set; }

    private void ShowFleet()
    {
        FleetViewModel? fleet = null;
        Background(async () => fleet = await FleetViewModel.LoadAsync(_svc.Store, _svc.Zone), () =>
        {
            Fleet = fleet;
            Details = null;
            Screen = Screen.Fleet;
        });
    }

    private void FleetKey(TuiAction action)
    {
        switch (action)
        {
            case TuiAction.Down: Fleet!.Move(1); break;
            case TuiAction.Up: Fleet!.Move(-1); break;
            case TuiAction.PageDown: Fleet!.Move(_body.PageSize); break;
            case TuiAction.PageUp: Fleet!.Move(-_body.PageSize); break;
            case TuiAction.Top: Fleet!.Move(int.MinValue / 2); break;
            case TuiAction.Bottom: Fleet!.Move(int.MaxValue / 2); break;
            case TuiAction.Details when Fleet!.Current is { } host:
                Screen = Screen.Timeline;
                Fleet = null;
                Background(() => Timeline.ApplyFilterAsync($"host:{host.Host}"));
                break;
        }
    }
}
