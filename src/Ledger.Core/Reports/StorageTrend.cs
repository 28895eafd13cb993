namespace Ledger.Core.Reports;

/// <summary>Growth and projected days to full of one mount, from its first and last reading.</summary>
public static class StorageTrend
{
    /// <summary>
    /// Bytes per day between two readings; null when they are less than an hour apart (too short
    /// to say anything about a trend).
    /// </summary>
    public static double? GrowthPerDay(long startUsed, DateTimeOffset startAt, long endUsed, DateTimeOffset endAt)
    {
        var days = (endAt - startAt).TotalDays;
        if (days < 1.0 / 24)
        {
            return null;
        }

        return (endUsed - startUsed) / days;
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
}
