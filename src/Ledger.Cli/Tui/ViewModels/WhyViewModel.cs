using Ledger.App.Analysis;
using Ledger.App.Rendering;
using Ledger.Core.Analysis;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// The TUI's <c>w</c>: the analysis of <c>ledger why</c> for one event as a list of suspects, one
/// selectable row each with its reasons beneath; Enter opens a suspect, R restores to the event
/// just before it.
/// </summary>
internal sealed class WhyViewModel
{
    private readonly List<int> _rowOf = [];

    private WhyViewModel(WhyReport report, TimeZoneInfo zone)
    {
        Report = report;
        Lines = Build(report, zone);
    }

    public WhyReport Report { get; }

    public IReadOnlyList<StyledLine> Lines { get; }

    /// <summary>Which suspect is selected (0: the most likely).</summary>
    public int Selected { get; private set; }

    /// <summary>The line of the selected suspect's row, or null when there are none.</summary>
    public int? SelectedLine => _rowOf.Count == 0 ? null : _rowOf[Selected];

    public Suspect? Current => Report.Suspects.Count == 0 ? null : Report.Suspects[Selected];

    public string Title => Report.Subject.Seq is { } s ? $"Why #{s}: {Report.Subject.Title}" : $"Why {Report.Subject.Title}";

    public static async Task<WhyViewModel> LoadAsync(LedgerStore store, TimelineEntry subject, TimeZoneInfo zone)
    {
        var report = await IncidentAnalysis.ForEventAsync(store, subject.Seq, null, IncidentAnalysis.DefaultWindow, IncidentAnalysis.DefaultLimit, CancellationToken.None);
        return new WhyViewModel(report, zone);
    }

    /// <summary>The event just before the selected suspect, where R restores to (null: nothing before it on this host).</summary>
    public async Task<TimelineEntry?> BeforeCurrentAsync(LedgerStore store)
    {
        if (Current is not { } suspect)
        {
            return null;
        }

        var page = await store.TimelineAsync(new TimelineQuery { Host = Report.Subject.Host, BeforeSeq = suspect.Seq, Limit = 1 });
        return page.Count > 0 ? page[0] : null;
    }

    public void Move(int delta)
    {
        if (_rowOf.Count > 0)
        {
            Selected = Math.Clamp(Selected + delta, 0, _rowOf.Count - 1);
        }
    }

    private List<StyledLine> Build(WhyReport report, TimeZoneInfo zone)
    {
        var s = report.Subject;
        var lines = new List<StyledLine>
        {
            StyledLine.Of($"{s.Kind} on {s.Host} at {TextTable.LocalTime(s.Time, zone)}; {DurationText.Format(report.To - report.From)} before it, looking for: " +
                (report.Terms.Count == 0 ? "(no terms)" : string.Join(", ", report.Terms.Select(t => t.Word))), Tone.Dim),
            new(""),
        };
        if (report.Suspects.Count == 0)
        {
            lines.Add(StyledLine.Of($"No change on {s.Host} in the {DurationText.Format(report.To - report.From)} before it.", Tone.Dim));
        }

        var rank = 0;
        foreach (var x in report.Suspects)
        {
            rank++;
            _rowOf.Add(lines.Count);
            lines.Add(StyledLine.Of($"{rank,2}. #{x.Seq} {DurationText.Format(s.Time - x.Timestamp)} before  {x.Title}", x.NotDeployed ? Tone.Dim : Tone.Normal));
            foreach (var reason in x.Reasons)
            {
                lines.Add(StyledLine.Of("      - " + reason, Tone.Dim));
            }
        }

        foreach (var c in report.StateChanges)
        {
            lines.Add(StyledLine.Of($"state: {c.Text}", Tone.Warn));
        }

        return lines;
    }
}
