using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Timeline;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;

namespace Ledger.Cli.Tui.Views;

/// <summary>Keys: every key is named, looked up in the key map, and its action done on the current screen.</summary>
internal sealed partial class LedgerWindow
{
    protected override bool OnKeyDown(Key key)
    {
        var name = KeyName(key);
        if (name is null)
        {
            return false;
        }

        if (_annotate is not null)
        {
            // The dialog is modal: what it does not handle goes nowhere else.
            return true;
        }

        if (_promptKind is not null || ConfirmingRestore)
        {
            TypeInPrompt(key, name);
            Refresh();
            return true;
        }

        _message = null;
        if (_svc.Keys[name] is { } action)
        {
            Do(action);
        }

        Refresh();
        // Every key stays here: an unbound Esc must not reach the application's quit binding.
        return true;
    }

    /// <summary>The name a key has in the key map: the character typed, else the key's name (Enter, Esc, CursorDown, ...).</summary>
    public static string? KeyName(Key key)
    {
        if (key.IsCtrl || key.IsAlt)
        {
            // Ctrl+U clears the prompt line, as in a shell; other chords are the terminal's.
            return key == Key.U.WithCtrl ? "Ctrl+U" : null;
        }

        var rune = key.AsRune;
        if (rune.Value >= 32 && rune.Value != 127)
        {
            return rune.ToString();
        }

        return key.KeyCode switch
        {
            KeyCode.Enter => "Enter",
            KeyCode.Esc => "Esc",
            KeyCode.Backspace => "Backspace",
            KeyCode.CursorDown => "CursorDown",
            KeyCode.CursorUp => "CursorUp",
            KeyCode.PageDown => "PageDown",
            KeyCode.PageUp => "PageUp",
            KeyCode.Home => "Home",
            KeyCode.End => "End",
            KeyCode.F1 => "F1",
            _ => key.KeyCode.ToString(),
        };
    }

    private void Do(TuiAction action)
    {
        switch (action)
        {
            case TuiAction.Help:
                Screen = Screen.Help;
                _body.Show(HelpLines(), null, 0);
                return;
            case TuiAction.Quit when Screen == Screen.Timeline:
                _app.RequestStop();
                return;
            case TuiAction.Quit or TuiAction.Back when Screen != Screen.Timeline:
                Back();
                return;
            case TuiAction.Back:
                if (Timeline.Filter is not null)
                {
                    Background(() => Timeline.ApplyFilterAsync(""));
                }

                return;
            case TuiAction.Filter or TuiAction.CommandLine:
                OpenPrompt(action == TuiAction.Filter ? '/' : ':');
                return;
            case TuiAction.Restore when Why is not null && Screen is Screen.Why or Screen.Details:
                RestoreBeforeSuspect();
                return;
            case TuiAction.Why:
                if (Target() is { } subject)
                {
                    ShowWhy(subject);
                }

                return;
            case TuiAction.Restore:
                if (Target() is { } target)
                {
                    StartRestore(target);
                }

                return;
            case TuiAction.MonthlyReport:
                if (Target() is { } month)
                {
                    ShowMonthlyReport(month);
                }

                return;
            case TuiAction.Annotate:
                if (Target() is { } change)
                {
                    OpenAnnotate(change);
                }

                return;
            case TuiAction.Validate when Screen != Screen.Restore:
                StartValidation();
                return;
            case TuiAction.Fleet when Screen is Screen.Timeline or Screen.Fleet:
                ShowFleet();
                return;
        }

        if (Screen == Screen.Timeline)
        {
            TimelineKey(action);
        }
        else if (Screen == Screen.Why)
        {
            WhyKey(action);
        }
        else if (Screen == Screen.Fleet)
        {
            FleetKey(action);
        }
        else
        {
            ScrollKey(action);
        }
    }

    private void TimelineKey(TuiAction action)
    {
        switch (action)
        {
            case TuiAction.Down: Timeline.Move(1); break;
            case TuiAction.Up: Timeline.Move(-1); break;
            case TuiAction.PageDown: Timeline.Move(_body.PageSize); break;
            case TuiAction.PageUp: Timeline.Move(-_body.PageSize); break;
            case TuiAction.Top: Background(() => Timeline.JumpToNewestAsync()); break;
            case TuiAction.Bottom: Background(() => Timeline.JumpToOldestAsync()); break;
            case TuiAction.NextMatch or TuiAction.PreviousMatch:
                if (Timeline.FindMatch(action == TuiAction.NextMatch) is { } i)
                {
                    Timeline.Select(i);
                }
                else
                {
                    _message = Timeline.Filter?.Text is null ? "No filter text to look for: / sets one." : "No further match among the loaded rows.";
                }

                break;
            case TuiAction.Details when Timeline.Current is { } current:
                ShowDetailsOf(current);
                break;
            case TuiAction.ChangeDoc:
                ShowChangeDoc(Timeline.Current);
                break;
        }

        // The view model reads one page at a time and ignores a second request while one is in flight.
        if (Timeline.NeedsMore)
        {
            Background(() => Timeline.LoadMoreAsync());
        }
        else if (Timeline.NeedsNewer)
        {
            Background(() => Timeline.LoadNewerAsync());
        }
    }

    private void ScrollKey(TuiAction action)
    {
        switch (action)
        {
            case TuiAction.Down: _body.ScrollBy(1); break;
            case TuiAction.Up: _body.ScrollBy(-1); break;
            case TuiAction.PageDown: _body.ScrollBy(_body.PageSize); break;
            case TuiAction.PageUp: _body.ScrollBy(-_body.PageSize); break;
            case TuiAction.Top: _body.ScrollTo(0); break;
            case TuiAction.Bottom: _body.ScrollTo(int.MaxValue); break;
        }
    }

    /// <summary>The event that R, m and a act on: the selected row, or the one whose details are shown.</summary>
    private TimelineEntry? Target() => Screen switch
    {
        Screen.Timeline => Timeline.Current,
        Screen.Details => Details?.Entry,
        _ => null,
    };
}
