using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Events;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Tui.Views;

/// <summary>The details screen: an event in full (Enter), its change doc (d) or its month's report (m).</summary>
internal sealed partial class LedgerWindow
{
    private void ShowDetailsOf(TimelineEntry entry) =>
        Background(async () => Details = await DetailsViewModel.LoadAsync(_svc.Store, entry, _svc.Zone), () => ShowDetails(Details!));

    private void ShowChangeDoc(TimelineEntry? change)
    {
        if (change is not { Data: ConfigEdited })
        {
            _message = "A change doc belongs to a config edit: select one (kind config-edit) and press d again.";
            return;
        }

        DetailsViewModel? doc = null;
        Background(async () => doc = await DetailsViewModel.ChangeDocAsync(_svc.Store, change, _svc.Zone), () =>
        {
            if (doc is null)
            {
                _message = "No change doc for this event.";
                return;
            }

            ShowDetails(doc);
        });
    }

    private void ShowMonthlyReport(TimelineEntry entry)
    {
        DetailsViewModel? report = null;
        Background(async () => report = await DetailsViewModel.MonthlyReportAsync(_svc.Store, entry, _svc.Zone), () => ShowDetails(report!));
    }

    private void ShowDetails(DetailsViewModel details)
    {
        Details = details;
        Screen = Screen.Details;
        _body.Show(details.Lines, null, 0);
    }
}
