using System.Globalization;
using Ledger.Core.Timeline;

namespace Ledger.App.Rendering;

/// <summary>Plain fixed-width rows for the timeline: readable in a pipe, a log or an 80-column SSH window.</summary>
internal static class TextTable
{
    public static string Header => $"{"SEQ",7}  {"TIME",-16}  {"HOST",-12}  {"KIND",-18}  {"ACTOR",-10}  TITLE";

    public static string Row(TimelineEntry e, TimeZoneInfo zone) =>
        $"{e.Seq,7}  {LocalTime(e.Timestamp, zone),-16}  {Fit(e.Host, 12),-12}  {Fit(e.Kind, 18),-18}  {Fit(e.Actor, 10),-10}  {e.Title}";

    public static string LocalTime(DateTimeOffset t, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Fit(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "~";
}
