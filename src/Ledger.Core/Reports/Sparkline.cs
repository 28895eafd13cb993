using System.Text;

namespace Ledger.Core.Reports;

/// <summary>Unicode sparklines (▁▂▃▄▅▆▇█) for Markdown; a missing value is a space.</summary>
public static class Sparkline
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// One character per value, scaled between <paramref name="min"/> and <paramref name="max"/>
    /// (default: the values' own range). Equal values draw the lowest bar.
    /// </summary>
    public static string Render(IReadOnlyList<double?> values, double? min = null, double? max = null)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        if (present.Length == 0)
        {
            return new string(' ', values.Count);
        }

        var lo = min ?? present.Min();
        var hi = max ?? present.Max();
        var sb = new StringBuilder(values.Count);
        foreach (var v in values)
        {
            if (v is not { } x)
            {
                sb.Append(' ');
                continue;
            }

            var level = hi > lo ? (int)Math.Round((Math.Clamp(x, lo, hi) - lo) / (hi - lo) * (Bars.Length - 1)) : 0;
            sb.Append(Bars[level]);
        }

        return sb.ToString();
    }
}
