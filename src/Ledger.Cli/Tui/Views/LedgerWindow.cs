using System.Globalization;
using System.Text;
using Ledger.App.Recording;
using Ledger.Cli.Tui.ViewModels;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Ledger.Cli.Tui.Views;

/// <summary>The screens of the TUI; Esc and q go back along this order to the timeline.</summary>
internal enum Screen
{
    Timeline,
    Details,
    Help,
    Restore,
    Validation,
}

/// <summary>
/// The one window of <c>ledger tui</c>: a header, the current screen (timeline, details, help,
/// restore or validation) as coloured lines, a prompt line and a status bar. Screens are swapped in place rather
/// than run as nested modal loops, so the keyboard alone drives everything and a test can drive it
/// by injecting keys. Work against the database runs in the background and comes back through
/// <see cref="IApplication.Invoke(Action)"/>.
/// </summary>
internal sealed class LedgerWindow : Window
{
    private readonly IApplication _app;
    private readonly TuiServices _svc;
    private readonly BarView _header = new(Palette.Bar) { X = 0, Y = 0 };
    private readonly BarView _columns = new(Palette.Of(Tone.Heading)) { X = 0, Y = 1 };
    private readonly LinesView _body = new() { X = 0, Y = 2, Width = Dim.Fill(), Height = Dim.Fill(2) };
    private readonly BarView _prompt = new(Palette.Prompt) { X = 0, Y = Pos.AnchorEnd(2) };
    private readonly BarView _status = new(Palette.Bar) { X = 0, Y = Pos.AnchorEnd(1) };
    private readonly StringBuilder _input = new();
    private int _busy;
    private char? _promptKind;
    private string? _message;
    private AnnotateDialog? _annotate;
    private int _validationLinesShown;

    public LedgerWindow(IApplication app, TuiServices services)
    {
        _app = app;
        _svc = services;
        BorderStyle = Terminal.Gui.Drawing.LineStyle.None;
        Width = Dim.Fill();
        Height = Dim.Fill();
        Timeline = new TimelineViewModel(services.Store, services.Host, services.Zone);
        Add(_header, _columns, _body, _prompt, _status);
        _body.SetFocus();
        Refresh();
        Background(() => Timeline.ReloadAsync());
    }

    public TimelineViewModel Timeline { get; }

    public DetailsViewModel? Details { get; private set; }

    public RestoreViewModel? Restore { get; private set; }

    /// <summary>The latest validation started with <c>v</c> (running or done), or null.</summary>
    public ValidationViewModel? Validation { get; private set; }

    /// <summary>The annotate dialog while it is open.</summary>
    public AnnotateDialog? Annotating => _annotate;

    public Screen Screen { get; private set; } = Screen.Timeline;

    /// <summary>Work is running in the background (tests wait for this to fall to zero).</summary>
    public bool Busy => Volatile.Read(ref _busy) > 0;

    /// <summary>The prompt being typed (<c>/</c> filter, <c>:</c> command), or null.</summary>
    public char? PromptKind => _promptKind;

    public string? Message => _message;

    public IReadOnlyList<StyledLine> VisibleLines => _body.Lines;

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

        if (_promptKind is not null || (Screen == Screen.Restore && Restore?.State == RestoreState.Confirming))
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
            return null;
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
                _promptKind = action == TuiAction.Filter ? '/' : ':';
                _input.Clear();
                if (action == TuiAction.Filter && Timeline.Filter is { } f)
                {
                    _input.Append(f.Source);
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
        }

        if (Screen == Screen.Timeline)
        {
            TimelineKey(action);
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
                Background(async () => Details = await DetailsViewModel.LoadAsync(_svc.Store, current, _svc.Zone), () =>
                {
                    Screen = Screen.Details;
                    _body.Show(Details!.Lines, null, 0);
                });
                break;
            case TuiAction.ChangeDoc when Timeline.Current is { Data: ConfigEdited } change:
                DetailsViewModel? doc = null;
                Background(async () => doc = await DetailsViewModel.ChangeDocAsync(_svc.Store, change, _svc.Zone), () =>
                {
                    if (doc is null)
                    {
                        _message = "No change doc for this event.";
                        return;
                    }

                    Details = doc;
                    Screen = Screen.Details;
                    _body.Show(doc.Lines, null, 0);
                });
                break;
            case TuiAction.ChangeDoc:
                _message = "A change doc belongs to a config edit: select one (kind config-edit) and press d again.";
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

    /// <summary>The event that R, m and a act on: the selected row, or the one whose details are shown.</summary>
    private TimelineEntry? Target() => Screen switch
    {
        Screen.Timeline => Timeline.Current,
        Screen.Details => Details?.Entry,
        _ => null,
    };

    private void ShowMonthlyReport(TimelineEntry entry)
    {
        DetailsViewModel? report = null;
        Background(async () => report = await DetailsViewModel.MonthlyReportAsync(_svc.Store, entry, _svc.Zone), () =>
        {
            Details = report;
            Screen = Screen.Details;
            _body.Show(report!.Lines, null, 0);
        });
    }

    /// <summary>Runs the checklist in the background; lines appear as each check is recorded, and the timeline is read again at the end.</summary>
    private void StartValidation()
    {
        if (Validation is { Running: true })
        {
            ShowValidation();
            return;
        }

        var host = _svc.Host ?? _svc.LocalHost;
        Background(async () =>
        {
            var repo = await ValidationViewModel.ResolveRepoAsync(_svc.Store, _svc.RepoOption, host);
            var vm = new ValidationViewModel(w => _svc.Operation(host, w), host, repo);
            _app.Invoke(() =>
            {
                Validation = vm;
                ShowValidation();
                Refresh();
            });
            await vm.RunAsync(_ => _app.Invoke(Refresh));
            await Timeline.ReloadAsync();
        });
    }

    private void ShowValidation()
    {
        Screen = Screen.Validation;
        Details = null;
        _validationLinesShown = -1;
    }

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
                            Details = details;
                            _body.Show(details.Lines, null, 0);
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

    private void Back()
    {
        if (Screen == Screen.Restore && Restore?.State == RestoreState.Running)
        {
            _message = "The restore is running; it cannot be left half done. Wait for it to finish.";
            return;
        }

        if (Screen == Screen.Validation && Validation is { Running: true })
        {
            _message = $"The validation goes on in the background; {KeyOf(TuiAction.Validate)} shows it again.";
        }

        var restored = Screen == Screen.Restore && Restore?.State is RestoreState.Succeeded or RestoreState.Failed;
        Screen = Screen == Screen.Help && Details is not null ? Screen.Details : Screen.Timeline;
        if (Screen == Screen.Details)
        {
            _body.Show(Details!.Lines, null, 0);
        }
        else
        {
            Details = null;
        }

        Restore = null;
        if (restored)
        {
            // Show what the restore recorded: newest first, without the filter that found the target.
            Background(() => Timeline.ApplyFilterAsync(""));
        }
    }

    private void StartRestore(TimelineEntry target)
    {
        var host = target.Host;
        Background(
            async () =>
            {
                var repo = await RestoreViewModel.ResolveRepoAsync(_svc.Store, _svc.RepoOption, target);
                var vm = new RestoreViewModel(w => _svc.Operation(host, w), host, repo, target.Seq);
                await vm.PlanAsync();
                Restore = vm;
            },
            () =>
            {
                Screen = Screen.Restore;
                _input.Clear();
            });
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
            case "Enter":
                var text = _input.ToString();
                if (restoring)
                {
                    Restore!.Typed = text;
                    if (Restore.Confirmed)
                    {
                        var vm = Restore;
                        Background(() => vm.ExecuteAsync(_ => _app.Invoke(Refresh)));
                    }
                    else
                    {
                        _message = $"'{text}' is not the host name; type {Restore.Host} to restore, or Esc to cancel.";
                    }

                    _input.Clear();
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

    private void Background(Func<Task> work, Action? after = null)
    {
        Interlocked.Increment(ref _busy);
        _ = Task.Run(async () =>
        {
            string? error = null;
            try
            {
                await work();
            }
            catch (LedgerException e)
            {
                error = e.Message;
            }
            catch (Exception e)
            {
                error = $"Unexpected error: {e.Message}";
            }

            _app.Invoke(() =>
            {
                try
                {
                    if (error is not null)
                    {
                        _message = error;
                    }
                    else
                    {
                        after?.Invoke();
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                    Refresh();
                }
            });
        });
    }

    /// <summary>Puts the view models' state on the screen.</summary>
    public void Refresh()
    {
        var where = _svc.Host is null ? "all hosts" : $"host {_svc.Host}";
        _header.Text = $" ledger tui | {where} | {_svc.Store.Description}";
        switch (Screen)
        {
            case Screen.Timeline:
                _columns.Text = TimelineViewModel.Header;
                var rows = Timeline.Rows;
                _body.Show(rows.Select(Timeline.RowLine).ToArray(), rows.Count == 0 ? null : Timeline.Selected);
                break;
            case Screen.Details:
                _columns.Text = Details?.Title ?? "";
                break;
            case Screen.Validation when Validation is not null:
                _columns.Text = $"Validation of {Validation.Host} (as ledger validate)";
                var lines = Validation.Lines;
                // Follow the output as it arrives; once it stops, the admin may scroll back.
                _body.Show(lines, null, lines.Count != _validationLinesShown ? Math.Max(0, lines.Count - _body.PageSize) : null);
                _validationLinesShown = lines.Count;
                break;
            case Screen.Help:
                _columns.Text = "Keys (from $LEDGER_HOME/tui-keys.json where set)";
                break;
            case Screen.Restore when Restore is not null:
                _columns.Text = $"Restore host {Restore.Host} to event #{Restore.TargetSeq}";
                _body.Show(Restore.Lines, null, Math.Max(0, Restore.Lines.Count - _body.PageSize));
                break;
        }

        _prompt.Text = _promptKind is { } p ? $"{p}{_input}_"
            : Screen == Screen.Restore && Restore?.State == RestoreState.Confirming ? $"Type '{Restore.Host}' to restore: {_input}_"
            : _annotate is not null ? _message ?? "Annotating: Tab next  Enter OK  Esc cancel"
            : _message ?? (Screen == Screen.Restore ? Restore?.Message : Screen == Screen.Validation ? Validation?.Message : null) ?? TimelineSummary();
        _status.Text = StatusText();
        SetNeedsDraw();
    }

    private string TimelineSummary()
    {
        var count = Timeline.Rows.Count;
        var more = Timeline.Exhausted && Timeline.AtNewest ? "" : "+";
        var filter = Timeline.Filter is { } f ? $"filter: {f.Source} | " : "";
        return Busy ? $"{filter}loading ..." : $"{filter}{count}{more} events{(Timeline.AtNewest ? "" : " (the oldest)")} | row {Math.Min(Timeline.Selected + 1, count)}";
    }

    /// <summary>The first key bound to an action, for messages and the status bar.</summary>
    private string KeyOf(TuiAction action) => _svc.Keys.KeysOf(action) is [var first, ..] ? first : "-";

    private string StatusText()
    {
        string K(TuiAction a) => KeyOf(a);
        return Screen switch
        {
            Screen.Timeline => $" {K(TuiAction.Help)} help  {K(TuiAction.Filter)} filter  {K(TuiAction.NextMatch)}/{K(TuiAction.PreviousMatch)} match  Enter details  {K(TuiAction.Restore)} restore  {K(TuiAction.CommandLine)} cmd  {K(TuiAction.Quit)} quit",
            Screen.Restore => " Enter confirm  Esc cancel/back",
            Screen.Validation => $" j/k scroll  PgUp/PgDn  g/G  Esc/{K(TuiAction.Quit)} back (it goes on)  {K(TuiAction.Validate)} show it again",
            _ => $" j/k scroll  PgUp/PgDn  g/G  {K(TuiAction.Restore)} restore  {K(TuiAction.Annotate)} annotate  Esc/{K(TuiAction.Quit)} back  {K(TuiAction.Help)} help",
        };
    }

    private List<StyledLine> HelpLines()
    {
        var lines = new List<StyledLine> { new("ledger tui: what changed and why, and restore to an event.", Tone.Heading), new("") };
        foreach (var (action, keys, help) in _svc.Keys.Describe())
        {
            lines.Add(StyledLine.Of($"  {string.Join(" ", keys),-16} {help}  ({KeyMap.NameOf(action)})"));
        }

        lines.Add(new(""));
        lines.Add(new("Filter: free text (marked in yellow) searches events; kind:config-edit, host:H,", Tone.Dim));
        lines.Add(new("since:2026-01-01 and until:... narrow it. Rebind keys in $LEDGER_HOME/tui-keys.json,", Tone.Dim));
        lines.Add(new("e.g. {\"restore\": [\"X\"]}. Esc or q goes back.", Tone.Dim));
        return lines;
    }
}
