namespace Ledger.Core.Reports;

/// <summary>Order statistics the report uses.</summary>
public static class Percentile
{
    /// <summary>
    /// The nearest-rank percentile (the smallest value with at least <paramref name="p"/> of the
    /// values at or below it), as PostgreSQL's <c>percentile_disc</c> computes it; null for no values.
    /// </summary>
    public static double? NearestRank(IEnumerable<double> values, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The arithmetic mean; null for no values.</summary>
    public static double? Mean(IEnumerable<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (var v in values)
        {
            sum += v;
            n++;
        }

        return n == 0 ? null : sum / n;
    }
}
