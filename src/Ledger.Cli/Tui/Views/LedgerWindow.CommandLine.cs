using System.Globalization;
using Ledger.Core.Errors;
using Ledger.Core.Timeline;
using Terminal.Gui.Input;

namespace Ledger.Cli.Tui.Views;

/// <summary>The prompt line: <c>/</c> filters the timeline, <c>:</c> takes a command; a restore's host name is typed here too.</summary>
internal sealed partial class LedgerWindow
{
    private void OpenPrompt(char kind)
    {
        _promptKind = kind;
        _input.Clear();
        if (kind == '/' && Timeline.Filter is { } f)
        {
            _input.Append(f.Source);
        }
    }

    private void TypeInPrompt(Key key, string name)
    {
        var restoring = _promptKind is null;
        switch (name)
        {
            case "Esc":
                _input.Clear();
                if (restoring)
                {
                    Back();
                }

                _promptKind = null;
                return;
            case "Backspace":
                if (_input.Length > 0)
                {
                    _input.Length--;
                }

                break;
            case "Ctrl+U":
                // As in a shell: the whole line goes.
                _input.Clear();
                break;
            case "Enter":
                var text = _input.ToString();
                if (restoring)
                {
                    // A wrong name stays on the prompt to be corrected; the error shows at once.
                    ConfirmRestore(text);
                    return;
                }

                _promptKind = _promptKind == '/' ? SubmitFilter(text) : SubmitCommand(text);
                _input.Clear();
                return;
            default:
                if (name.Length == 1 || (name.Length == 2 && char.IsSurrogate(name[0])))
                {
                    _input.Append(name);
                }

                break;
        }

        if (restoring)
        {
            Restore?.Type(_input.ToString());
        }
    }

    private char? SubmitFilter(string text)
    {
        try
        {
            // Parse here first: a typo is reported on the prompt line and the prompt stays open.
            _ = string.IsNullOrWhiteSpace(text) ? null : TimelineFilter.Parse(text, Timeline.BaseQuery, _svc.Zone);
        }
        catch (LedgerException e)
        {
            _message = e.Message;
            return '/';
        }

        Screen = Screen.Timeline;
        Details = null;
        Background(() => Timeline.ApplyFilterAsync(text));
        return null;
    }

    private char? SubmitCommand(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["q" or "quit" or "q!"]:
                _app.RequestStop();
                break;
            case ["restore", var s] when long.TryParse(s.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var seq):
                Background(
                    async () =>
                    {
                        var entry = await _svc.Store.GetAsync(seq) ?? throw new LedgerException($"There is no event #{seq}.");
                        _app.Invoke(() => StartRestore(entry));
                    });
                break;
            case []:
                break;
            default:
                _message = $"Unknown command ':{text}'. Commands: :restore SEQ, :q";
                break;
        }

        return null;
    }
}
