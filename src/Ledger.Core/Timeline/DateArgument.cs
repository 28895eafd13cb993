using System.Globalization;
using Ledger.Core.Errors;

namespace Ledger.Core.Timeline;

/// <summary>Parses the dates users type for --since / --until.</summary>
public static class DateArgument
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// Accepts YYYY-MM-DD (midnight; with <paramref name="endOfDay"/> the end of that day, so
    /// <c>--until 2026-11-27</c> includes the whole day) or an ISO 8601 time. A date or time without
    /// an offset is read in <paramref name="zone"/>; anything else is refused with the accepted forms.
    /// </summary>
    public static DateTimeOffset Parse(string text, string optionName, TimeZoneInfo zone, bool endOfDay = false)
    {
        var t = text.Trim();
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var local = date.ToDateTime(TimeOnly.MinValue);
            if (endOfDay)
            {
                local = local.AddDays(1).AddTicks(-1);
            }

            return InZone(local, zone);
        }

        if (DateTimeOffset.TryParseExact(t, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamp)
            && (t.EndsWith('Z') || t.EndsWith('z') || HasOffset(t)))
        {
            return stamp;
        }

        if (DateTime.TryParseExact(t, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            return InZone(wall, zone);
        }

        throw new LedgerException(
            $"{optionName} '{text}' is not a date: use YYYY-MM-DD (e.g. 2026-11-27) or an ISO 8601 time such as 2026-11-27T08:00, 2026-11-27T08:00:00Z or 2026-11-27T08:00:00+01:00.");
    }

    private static bool HasOffset(string t)
    {
        // An offset is a sign after the time part: 2026-11-27T08:00:00+01:00.
        var timeStart = t.IndexOfAny(['T', ' ']);
        return timeStart > 0 && t.IndexOfAny(['+', '-'], timeStart) > 0;
    }

    private static DateTimeOffset InZone(DateTime wall, TimeZoneInfo zone) =>
        new(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), zone.GetUtcOffset(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified)));
}
