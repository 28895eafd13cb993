using System.Globalization;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;

namespace Ledger.App.Rendering;

/// <summary>
/// Plain rows for the timeline, readable in a pipe, a log or an 80-column SSH window: columns as
/// wide as the first page needs (SEQ, the full date and minute, HOST unless one host was asked
/// for, the short KIND, ACTOR only where there is room), then the title. On a terminal a row fits
/// its width, the title ending in "…" at a word boundary, so nothing wraps; in a pipe the title
/// is whole.
/// </summary>
internal sealed class TextTable
{
    /// <summary>Below this terminal width ACTOR is left out (it is in <c>ledger show</c> and the TUI's details).</summary>
    public const int ActorFrom = 120;

    private const int MinTitle = 20;

    private readonly int _seq;
    private readonly int _host;
    private readonly int _actor;
    private readonly int? _width;
    private readonly TimeZoneInfo _zone;

    private TextTable(int seq, int host, int actor, int? width, TimeZoneInfo zone)
    {
        _seq = seq;
        _host = host;
        _actor = actor;
        _width = width;
        _zone = zone;
    }

    /// <param name="firstPage">The rows shown first (newest first: the widest sequence number).</param>
    /// <param name="showHost">False when every row is of one host the reader asked for.</param>
    /// <param name="width">The terminal's width; null in a pipe (nothing is cut).</param>
    /// <param name="zone">The zone the rows' times are in, named once in the header.</param>
    public static TextTable For(IReadOnlyList<TimelineEntry> firstPage, bool showHost, int? width, TimeZoneInfo zone)
    {
        var seq = Math.Max(3, firstPage.Select(e => e.Seq.ToString(CultureInfo.InvariantCulture).Length).DefaultIfEmpty(3).Max());
        var host = showHost ? Math.Clamp(firstPage.Select(e => e.Host.Length).DefaultIfEmpty(4).Max(), 4, 16) : 0;
        var actor = width is null or >= ActorFrom ? Math.Clamp(firstPage.Select(e => e.Actor.Length).DefaultIfEmpty(5).Max(), 5, 20) : 0;
        return new TextTable(seq, host, actor, width, zone);
    }

    /// <summary>The column names, then the zone the times are in (left out where a terminal is too narrow for it).</summary>
    public string Header
    {
        get
        {
            var columns = Line("SEQ".PadLeft(_seq), "TIME", "HOST", "KIND", "ACTOR", "TITLE");
            var zone = $"  (times in {_zone.Id})";
            return _width is { } w && columns.Length + zone.Length >= w ? columns : columns + zone;
        }
    }

    public string Row(TimelineEntry e)
    {
        var row = Line(e.Seq.ToString(CultureInfo.InvariantCulture).PadLeft(_seq), LocalTime(e.Timestamp, _zone), e.Host, EventCatalogue.ShortKind(e.Kind), e.Actor, "");
        var title = e.Title;
        return _width is { } w && w - row.Length >= MinTitle ? row + Fitting.AtWord(title, w - 1 - row.Length) : row + title;
    }

    public static string LocalTime(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private string Line(string seq, string time, string host, string kind, string actor, string title) =>
        $"{seq} {time,-16} "
        + (_host > 0 ? Fitting.Cut(host, _host).PadRight(_host) + " " : "")
        + $"{kind,-11} "
        + (_actor > 0 ? Fitting.Cut(actor, _actor).PadRight(_actor) + " " : "")
        + title;
}
