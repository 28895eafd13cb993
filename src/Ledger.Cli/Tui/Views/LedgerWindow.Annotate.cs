using Ledger.App.Recording;
using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Events;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Tui.Views;

/// <summary>Annotating a config change (a): the dialog over the screen, and the same event as <c>ledger annotate</c>.</summary>
internal sealed partial class LedgerWindow
{
    private void OpenAnnotate(TimelineEntry entry)
    {
        if (entry.Data is not ConfigEdited)
        {
            _message = $"#{entry.Seq} is a {entry.Kind}: only config changes are annotated. Select a config-edit and press {KeyOf(TuiAction.Annotate)} again.";
            return;
        }

        var dialog = new AnnotateDialog($"Annotate #{entry.Seq}: {Ledger.Core.Text.TerminalText.Line(entry.Title)}");
        dialog.Cancelled += CloseAnnotate;
        dialog.Submitted += () =>
        {
            var (purpose, notes) = (dialog.Purpose.Text, dialog.Notes.Text);
            if (string.IsNullOrWhiteSpace(purpose) && string.IsNullOrWhiteSpace(notes))
            {
                _message = "Type a purpose or notes (Tab moves between them), or Esc to cancel.";
                Refresh();
                return;
            }

            long seq = 0;
            var onDetails = Screen == Screen.Details;
            CloseAnnotate();
            Background(
                async () =>
                {
                    seq = await Annotations.AppendAsync(_svc.Store, entry, _svc.Actor, purpose, notes, validation: null, CancellationToken.None);
                    var details = onDetails ? await DetailsViewModel.LoadAsync(_svc.Store, entry, _svc.Zone) : null;
                    await Timeline.ReloadAsync();
                    _app.Invoke(() =>
                    {
                        if (details is not null && Screen == Screen.Details)
                        {
                            ShowDetails(details);
                        }
                    });
                },
                () => _message = $"Annotated #{entry.Seq} as #{seq} (the same event as ledger annotate).");
        };
        _annotate = dialog;
        Add(dialog);
        dialog.Start();
    }

    private void CloseAnnotate()
    {
        if (_annotate is { } dialog)
        {
            _annotate = null;
            Remove(dialog);
            dialog.Dispose();
            _body.SetFocus();
            Refresh();
        }
    }
}
