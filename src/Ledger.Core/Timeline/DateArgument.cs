using System.Globalization;
using Ledger.Core.Errors;

namespace Ledger.Core.Timeline;

/// <summary>Parses the dates users type for --since / --until.</summary>
public static class DateArgument
{
    /// <summary>
    /// Accepts YYYY-MM-DD (midnight; with <paramref name="endOfDay"/> the end of that day, so
    /// <c>--until 2026-11-27</c> includes the whole day) or an ISO 8601 timestamp. A date without an
    /// offset is read in <paramref name="zone"/>.
    /// </summary>
    public static DateTimeOffset Parse(string text, string optionName, TimeZoneInfo zone, bool endOfDay = false)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var local = date.ToDateTime(TimeOnly.MinValue);
            if (endOfDay)
            {
                local = local.AddDays(1).AddTicks(-1);
            }

            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamp))
        {
            return stamp;
        }

        throw new LedgerException($"{optionName} '{text}' is not a date: use YYYY-MM-DD or an ISO 8601 timestamp such as 2026-11-27T08:00:00Z.");
    }
}
