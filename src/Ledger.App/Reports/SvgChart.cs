using System.Globalization;
using System.Text;
using Ledger.Core.Reports;
using Ledger.Core.Text;
using Ledger.Store.Projections;

namespace Ledger.App.Reports;

/// <summary>
/// Small inline SVG charts for the HTML report: one x position per day of the month, fixed
/// colours, coordinates with one decimal in the invariant culture, so the same data draws the same
/// bytes on every machine (no fonts measured, no native renderer).
/// </summary>
internal static class SvgChart
{
    private const int Left = 70;
    private const int Top = 28;
    private const int Bottom = 30;
    private static readonly Frame Wide = new(720, 220, 150);
    private static readonly Frame Strip = new(720, 130, 20);
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A line per series on one axis from <paramref name="min"/> to <paramref name="max"/> (default: the largest value); a missing day breaks the line. Empty string when there is no data.</summary>
    public static string Lines(string title, ReportMonth month, IReadOnlyList<DailySeries> series, double min, double? max, Func<double, string> label)
    {
        var values = Values(series);
        if (values.Length == 0)
        {
            return "";
        }

        var hi = max ?? Math.Max(values.Max(), min + 1);
        var sb = Begin(Wide, title, month, min, hi, label);
        for (int i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            Line(sb, Wide, month, series[i], min, hi, colour);
            Legend(sb, Wide, i, colour, series[i].Name);
        }

        return End(sb);
    }

    /// <summary>
    /// One series in a short chart of its own, its axis around its own values (both ends labelled)
    /// and at least <paramref name="minSpan"/> tall: a 200 GiB mount and a 10 TiB array each show
    /// their movement instead of sharing one axis, on which the small one is a flat line, while
    /// noise far smaller than <paramref name="minSpan"/> (a few MiB of a 500 GiB disk) stays flat
    /// instead of filling the chart. Never below zero. Empty string when there is no data.
    /// </summary>
    public static string Small(string title, ReportMonth month, DailySeries series, double minSpan, Func<double, string> label)
    {
        var values = Values([series]);
        if (values.Length == 0)
        {
            return "";
        }

        var (lo, hi) = (values.Min(), values.Max());
        var span = Math.Max(Math.Max(minSpan, hi - lo), 1);
        var mid = (lo + hi) / 2;
        lo = Math.Max(0, mid - (span / 2));
        hi = lo + span;

        var sb = Begin(Strip, title, month, lo, hi, label);
        Line(sb, Strip, month, series, lo, hi, Colours[0]);
        return End(sb);
    }

    /// <summary>Side-by-side bars per series and day.</summary>
    public static string Bars(string title, ReportMonth month, IReadOnlyList<DailySeries> series)
    {
        var values = Values(series);
        if (values.Length == 0)
        {
            return "";
        }

        var f = Wide;
        var hi = Math.Max(1, values.Max());
        var sb = Begin(f, title, month, 0, hi, v => v.ToString("0", Inv));
        var slot = (f.Width - Left - f.Right) / (double)month.Days;
        var bar = slot * 0.8 / Math.Max(1, series.Count);
        for (int i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            for (int d = 0; d < series[i].Values.Count; d++)
            {
                if (series[i].Values[d] is { } v && v > 0)
                {
                    var x = Left + (d * slot) + (slot * 0.1) + (i * bar);
                    var y = f.Y(v, 0, hi);
                    sb.Append(Inv, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(bar)}\" height=\"{F(f.Height - Bottom - y)}\" fill=\"{colour}\"/>");
                }
            }

            Legend(sb, f, i, colour, series[i].Name);
        }

        return End(sb);
    }

    private static double[] Values(IReadOnlyList<DailySeries> series) => series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).ToArray();

    private static void Line(StringBuilder sb, Frame f, ReportMonth month, DailySeries s, double lo, double hi, string colour)
    {
        var segment = new List<(double X, double Y)>();
        void Flush()
        {
            if (segment.Count == 1)
            {
                sb.Append(Inv, $"<circle cx=\"{F(segment[0].X)}\" cy=\"{F(segment[0].Y)}\" r=\"2.5\" fill=\"{colour}\"/>");
            }
            else if (segment.Count > 1)
            {
                sb.Append(Inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', segment.Select(p => $"{F(p.X)},{F(p.Y)}"))}\"/>");
            }

            segment.Clear();
        }

        for (int d = 0; d < s.Values.Count; d++)
        {
            if (s.Values[d] is { } v)
            {
                segment.Add((f.X(d, month.Days), f.Y(v, lo, hi)));
            }
            else
            {
                Flush();
            }
        }

        Flush();
    }

    private static StringBuilder Begin(Frame f, string title, ReportMonth month, double lo, double hi, Func<double, string> label)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {f.Width} {f.Height}\" width=\"{f.Width}\" height=\"{f.Height}\" role=\"img\" aria-label=\"{Esc(title)}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append(Inv, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Esc(title)}</text>");
        sb.Append(Inv, $"<line x1=\"{Left}\" y1=\"{f.Height - Bottom}\" x2=\"{f.Width - f.Right}\" y2=\"{f.Height - Bottom}\" stroke=\"#888\"/>");
        sb.Append(Inv, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{f.Height - Bottom}\" stroke=\"#888\"/>");
        sb.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{Top + 4}\" text-anchor=\"end\">{Esc(label(hi))}</text>");
        sb.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{f.Height - Bottom + 4}\" text-anchor=\"end\">{Esc(label(lo))}</text>");
        foreach (var day in new[] { 1, 8, 15, 22, month.Days }.Distinct())
        {
            sb.Append(Inv, $"<text x=\"{F(f.X(day - 1, month.Days))}\" y=\"{f.Height - Bottom + 16}\" text-anchor=\"middle\">{month}-{day:D2}</text>");
        }

        return sb;
    }

    private static void Legend(StringBuilder sb, Frame f, int i, string colour, string name)
    {
        var y = Top + 8 + (i * 16);
        sb.Append(Inv, $"<rect x=\"{f.Width - f.Right + 12}\" y=\"{y - 8}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
        sb.Append(Inv, $"<text x=\"{f.Width - f.Right + 26}\" y=\"{y + 1}\">{Esc(name)}</text>");
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static string F(double v) => v.ToString("0.0", Inv);

    private static string Esc(string text) => RenderText.Html(text);

    /// <summary>A chart's size; <see cref="Right"/> is the room kept for the legend.</summary>
    private sealed record Frame(int Width, int Height, int Right)
    {
        public double X(int dayIndex, int days) => Left + ((Width - Left - Right) * (dayIndex + 0.5) / days);

        public double Y(double v, double lo, double hi) => Height - Bottom - ((Height - Top - Bottom) * (Math.Clamp(v, lo, hi) - lo) / (hi - lo));
    }
}
