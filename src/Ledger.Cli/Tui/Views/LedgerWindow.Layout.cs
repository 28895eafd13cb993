using Ledger.Cli.Tui.ViewModels;
using Terminal.Gui.ViewBase;

namespace Ledger.Cli.Tui.Views;

/// <summary>Layout: where the five views sit, and what each shows for the current screen.</summary>
internal sealed partial class LedgerWindow
{
    private readonly BarView _header = new(Palette.Bar) { X = 0, Y = 0 };
    private readonly BarView _columns = new(Palette.Of(Tone.Heading)) { X = 0, Y = 1 };
    private readonly LinesView _body = new() { X = 0, Y = 2, Width = Dim.Fill(), Height = Dim.Fill(2) };
    private readonly BarView _prompt = new(Palette.Prompt) { X = 0, Y = Pos.AnchorEnd(2) };
    private readonly BarView _status = new(Palette.Bar) { X = 0, Y = Pos.AnchorEnd(1) };

    /// <summary>Puts the view models' state on the screen.</summary>
    public void Refresh()
    {
        var where = _svc.Host is null ? "all hosts" : $"host {_svc.Host}";
        _header.Text = $" ledger tui | {where} | times {ZoneLabel(Timeline.Zone)} | {_svc.Store.Description}";
        switch (Screen)
        {
            case Screen.Timeline:
                _columns.Text = Timeline.Header;
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
                _body.Show(lines, null, lines.Count != _validationLinesShown ? int.MaxValue : null);
                _validationLinesShown = lines.Count;
                break;
            case Screen.Why when Why is not null:
                _columns.Text = Why.Title;
                _body.Show(Why.Lines, Why.SelectedLine);
                break;
            case Screen.Fleet when Fleet is not null:
                _columns.Text = Fleet.Header;
                _body.Show(Fleet.Lines, Fleet.Lines.Count == 0 ? null : Fleet.Selected);
                break;
            case Screen.Help:
                _columns.Text = "Keys (from $LEDGER_HOME/tui-keys.json where set)";
                break;
            case Screen.Restore when Restore is not null:
                _columns.Text = $"Restore host {Restore.Host} to event #{Restore.TargetSeq}";
                _body.Show(Restore.Lines, null, int.MaxValue);
                break;
        }

        _prompt.Text = _promptKind is { } p ? $"{p}{_input}_"
            : ConfirmingRestore ? $"Type '{Restore!.Host}' to restore: {_input}_"
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
        return Busy ? $"{filter}loading ..." : $"{filter}{count}{more} {(count == 1 && more.Length == 0 ? "event" : "events")}{(Timeline.AtNewest ? "" : " (the oldest)")} | row {Math.Min(Timeline.Selected + 1, count)}";
    }

    /// <summary>The first key bound to an action, for messages and the status bar.</summary>
    private string KeyOf(TuiAction action) => _svc.Keys.KeysOf(action) is [var first, ..] ? first : "-";

    private string StatusText()
    {
        string K(TuiAction a) => KeyOf(a);
        return Screen switch
        {
            Screen.Timeline => $" {K(TuiAction.Help)} help  {K(TuiAction.Filter)} filter  {K(TuiAction.NextMatch)}/{K(TuiAction.PreviousMatch)} match  Enter details  {K(TuiAction.Restore)} restore  {K(TuiAction.CommandLine)} cmd  {K(TuiAction.Quit)} quit",
            Screen.Restore => Restore?.State switch
            {
                RestoreState.Confirming => " Enter restore  Ctrl+U clear  Esc cancel",
                RestoreState.Running => " restoring: wait for it to finish",
                _ => $" j/k scroll  PgUp/PgDn  Esc/{K(TuiAction.Quit)} back",
            },
            Screen.Why => $" j/k suspect  Enter details  {K(TuiAction.Restore)} restore to the event before it  Esc/{K(TuiAction.Quit)} back",
            Screen.Fleet => $" j/k host  Enter its timeline  Esc/{K(TuiAction.Quit)} back",
            Screen.Validation => $" j/k scroll  PgUp/PgDn  g/G  Esc/{K(TuiAction.Quit)} back (it goes on)  {K(TuiAction.Validate)} show it again",
            _ => $" j/k scroll  PgUp/PgDn  g/G  {K(TuiAction.Restore)} restore  {K(TuiAction.Annotate)} annotate  Esc/{K(TuiAction.Quit)} back  {K(TuiAction.Help)} help",
        };
    }

    private List<StyledLine> HelpLines()
    {
        var lines = new List<StyledLine> { new("ledger tui: what changed and why, and restore to an event.", Tone.Heading), new("") };
        foreach (var (action, keys, help) in _svc.Keys.Describe())
        {
            // A space is bound to page down: it is named, not left as a blank.
            lines.Add(StyledLine.Of($"  {string.Join(" ", keys.Select(k => k == " " ? "Space" : k)),-16} {help}  ({KeyMap.NameOf(action)})"));
        }

        // One line a paragraph: the screen wraps them to its width.
        lines.Add(new(""));
        lines.Add(new("Filter: free text (marked in yellow) searches events; kind:config-edit, host:H, since:2026-01-01 and until:... narrow it. Ctrl-U clears the prompt.", Tone.Dim));
        lines.Add(new("Rebind keys in $LEDGER_HOME/tui-keys.json, e.g. {\"restore\": [\"X\"]}. Esc or q goes back.", Tone.Dim));
        return lines;
    }

    /// <summary>The zone every time on the screen is in, named once in the header: "in Europe/Berlin (UTC+01:00)".</summary>
    internal static string ZoneLabel(TimeZoneInfo zone)
    {
        var offset = zone.GetUtcOffset(DateTimeOffset.UtcNow);
        return $"in {zone.Id} (UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm})";
    }
}
