using System.Globalization;
using Ledger.Core.Errors;

namespace Ledger.Core.Reports;

/// <summary>
/// A calendar month in a host's time zone. Its bounds are the local midnights of the first day
/// and of the first day of the next month, so a month that crosses a DST change is 743 or 745
/// hours long, not 744.
/// </summary>
public sealed record ReportMonth(int Year, int Month)
{
    /// <summary>Reads YYYY-MM; anything else is refused with the accepted form.</summary>
    public static ReportMonth Parse(string text, string optionName = "--month")
    {
        if (DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return new ReportMonth(d.Year, d.Month);
        }

        throw new LedgerException($"{optionName} '{text}' is not a month: use YYYY-MM (e.g. 2026-03).");
    }

    /// <summary>The month that contains <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static ReportMonth Containing(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return new ReportMonth(local.Year, local.Month);
    }

    public ReportMonth Previous => Month == 1 ? new ReportMonth(Year - 1, 12) : new ReportMonth(Year, Month - 1);

    public ReportMonth Next => Month == 12 ? new ReportMonth(Year + 1, 1) : new ReportMonth(Year, Month + 1);

    public DateOnly FirstDay => new(Year, Month, 1);

    public int Days => DateTime.DaysInMonth(Year, Month);

    /// <summary>Local midnight of the first day, as an instant.</summary>
    public DateTimeOffset Start(TimeZoneInfo zone) => LocalMidnight(FirstDay, zone);

    /// <summary>Local midnight of the first day of the next month (exclusive end).</summary>
    public DateTimeOffset End(TimeZoneInfo zone) => LocalMidnight(Next.FirstDay, zone);

    public override string ToString() => $"{Year:D4}-{Month:D2}";

    /// <summary>
    /// The instant of local midnight. Where midnight does not exist (a zone that springs forward
    /// at 00:00) the first valid local time after it is used.
    /// </summary>
    public static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var wall = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }

        // An ambiguous midnight (clocks fall back at 00:00) takes the earlier instant.
        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset);
    }
}
