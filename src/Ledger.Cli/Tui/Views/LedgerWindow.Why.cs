using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Tui.Views;

/// <summary>The why screen (<c>w</c>): the suspects of an event, Enter for a suspect's details, R to restore to the event before it.</summary>
internal sealed partial class LedgerWindow
{
    /// <summary>The analysis shown by <c>w</c> (kept while a suspect's details are open), or null.</summary>
    public WhyViewModel? Why { get; private set; }

    private void ShowWhy(TimelineEntry subject)
    {
        WhyViewModel? why = null;
        Background(async () => why = await WhyViewModel.LoadAsync(_svc.Store, subject, _svc.Zone), () =>
        {
            Why = why;
            Details = null;
            Screen = Screen.Why;
        });
    }

    private void WhyKey(TuiAction action)
    {
        switch (action)
        {
            case TuiAction.Down: Why!.Move(1); break;
            case TuiAction.Up: Why!.Move(-1); break;
            case TuiAction.PageDown: Why!.Move(5); break;
            case TuiAction.PageUp: Why!.Move(-5); break;
            case TuiAction.Top: Why!.Move(int.MinValue / 2); break;
            case TuiAction.Bottom: Why!.Move(int.MaxValue / 2); break;
            case TuiAction.Details when Why!.Current is { } suspect:
                Background(
                    async () => Details = await DetailsViewModel.LoadAsync(_svc.Store, (await _svc.Store.GetAsync(suspect.Seq))!, _svc.Zone),
                    () => ShowDetails(Details!));
                break;
        }
    }

    /// <summary>R on the why screen, or on a suspect's details opened from it: the restore to the event just before the suspect.</summary>
    private void RestoreBeforeSuspect()
    {
        TimelineEntry? before = null;
        Background(async () => before = await Why!.BeforeCurrentAsync(_svc.Store), () =>
        {
            if (before is null)
            {
                _message = "Nothing was recorded on this host before that suspect: there is no earlier state to go back to.";
                return;
            }

            StartRestore(before);
        });
    }
}
