using System.Diagnostics;
using System.Globalization;

namespace Ledger.Bench.Workloads;

/// <summary>Timing and its figures: seconds of one run, medians, and how the table prints them.</summary>
internal static class Measure
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<double> TimeAsync(Func<Task> work)
    {
        var sw = Stopwatch.StartNew();
        await work();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>The median of <paramref name="runs"/> timed runs after one warm run (plans cached, pages in the server's buffers, as for a second user).</summary>
    public static async Task<double> MedianOfAsync(Func<Task> work, int runs)
    {
        await work();
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            times.Add(await TimeAsync(work));
        }

        return Median(times);
    }

    /// <summary>
    /// Medians of two workloads measured alternately (ours, baseline, ours, ...), so that a passing
    /// disturbance of the machine falls on both sides alike, in the steady state of a long-lived
    /// process such as the TUI: both sides first run 50 times (plans cached, pages in the server's
    /// buffers, and the runtime's second-tier compilation of what runs often done; until then a
    /// millisecond page measures the JIT more than the code).
    /// </summary>
    public static async Task<(double Ours, double Baseline)> PairedMediansAsync(Func<Task> ours, Func<Task> baseline, int runs)
    {
        for (int i = 0; i < 50; i++)
        {
            await ours();
            await baseline();
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the background compiler's turn
        var (a, b) = (new List<double>(), new List<double>());
        for (int i = 0; i < runs; i++)
        {
            a.Add(await TimeAsync(ours));
            b.Add(await TimeAsync(baseline));
        }

        return (Median(a), Median(b));
    }

    public static double Median(IEnumerable<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.01 ? "0.00" : "0.0", Inv) + " ms";

    public static string Sec(double seconds) => seconds.ToString("0.00", Inv) + " s";
}
