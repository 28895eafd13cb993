using System.Globalization;

namespace Ledger.Core.Reports;

/// <summary>Growth and projected days to full of one mount, from its first and last reading.</summary>
public static class StorageTrend
{
    /// <summary>The shortest span between two readings that says something about a trend.</summary>
    public static readonly TimeSpan MinSpan = TimeSpan.FromDays(1);

    /// <summary>Beyond this many days a projection is noise, not a date: it reads "&gt; 1 year".</summary>
    public const int HorizonDays = 365;

    /// <summary>What a mount without a trend needs, in the words the report uses.</summary>
    public const string NeedsReadings = "two readings at least a day apart";

    /// <summary>
    /// Bytes per day between two readings; null when they are less than <see cref="MinSpan"/> apart
    /// (one reading, or readings too close to say anything about a trend).
    /// </summary>
    public static double? GrowthPerDay(long startUsed, DateTimeOffset startAt, long endUsed, DateTimeOffset endAt)
    {
        if (endAt - startAt < MinSpan)
        {
            return null;
        }

        return (endUsed - startUsed) / (endAt - startAt).TotalDays;
    }

    /// <summary>
    /// Days until <paramref name="availableBytes"/> are used up at <paramref name="growthPerDay"/>;
    /// null when usage is not growing (it never fills at this rate). Rounded down: "full within N days".
    /// </summary>
    public static double? DaysToFull(long availableBytes, double? growthPerDay)
    {
        if (growthPerDay is not { } g || g <= 0)
        {
            return null;
        }

        return Math.Floor(Math.Max(0, availableBytes) / g);
    }

    /// <summary>
    /// Days to full as the report prints it: the number up to <see cref="HorizonDays"/>, "&gt; 1 year"
    /// beyond, "not filling" when usage does not grow, "n/a" without a trend.
    /// </summary>
    public static string DaysToFullText(double? growthPerDay, double? daysToFull) =>
        growthPerDay is null ? "n/a"
        : daysToFull is not { } d ? "not filling"
        : d > HorizonDays ? "> 1 year"
        : d.ToString("0", CultureInfo.InvariantCulture);
}
