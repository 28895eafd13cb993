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
    private const int Width = 720;
    private const int Height = 220;
    private const int Left = 70;
    private const int Right = 150;
    private const int Top = 28;
    private const int Bottom = 30;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A line per series; a missing day breaks the line. Empty string when there is no data.</summary>
    public static string Lines(string title, ReportMonth month, IReadOnlyList<DailySeries> series, double min, double? max, Func<double, string> label)
    {
        var values = series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        if (values.Length == 0)
        {
            return "";
        }

        var hi = max ?? Math.Max(values.Max(), min + 1);
        var sb = Begin(title, month, min, hi, label);
        for (int i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var segment = new List<string>();
            void Flush()
            {
                if (segment.Count == 1)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{segment[0].Split(',')[0]}\" cy=\"{segment[0].Split(',')[1]}\" r=\"2.5\" fill=\"{colour}\"/>");
                }
                else if (segment.Count > 1)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', segment)}\"/>");
                }

                segment.Clear();
            }

            var s = series[i];
            for (int d = 0; d < s.Values.Count; d++)
            {
                if (s.Values[d] is { } v)
                {
                    segment.Add($"{F(X(d, month.Days))},{F(Y(v, min, hi))}");
                }
                else
                {
                    Flush();
                }
            }

            Flush();
            Legend(sb, i, colour, s.Name);
        }

        return End(sb);
    }

    /// <summary>Side-by-side bars per series and day.</summary>
    public static string Bars(string title, ReportMonth month, IReadOnlyList<DailySeries> series)
    {
        var values = series.SelectMany(s => s.Values).Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        if (values.Length == 0)
        {
            return "";
        }

        var hi = Math.Max(1, values.Max());
        var sb = Begin(title, month, 0, hi, v => v.ToString("0", Inv));
        var slot = (Width - Left - Right) / (double)month.Days;
        var bar = slot * 0.8 / Math.Max(1, series.Count);
        for (int i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            for (int d = 0; d < series[i].Values.Count; d++)
            {
                if (series[i].Values[d] is { } v && v > 0)
                {
                    var x = Left + (d * slot) + (slot * 0.1) + (i * bar);
                    var y = Y(v, 0, hi);
                    sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(bar)}\" height=\"{F(Height - Bottom - y)}\" fill=\"{colour}\"/>");
                }
            }

            Legend(sb, i, colour, series[i].Name);
        }

        return End(sb);
    }

    private static StringBuilder Begin(string title, ReportMonth month, double lo, double hi, Func<double, string> label)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Esc(title)}\" font-family=\"sans-serif\" font-size=\"11\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Esc(title)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top + 4}\" text-anchor=\"end\">{Esc(label(hi))}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Height - Bottom + 4}\" text-anchor=\"end\">{Esc(label(lo))}</text>");
        foreach (var day in new[] { 1, 8, 15, 22, month.Days }.Distinct())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(day - 1, month.Days))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{month}-{day:D2}</text>");
        }

        return sb;
    }

    private static void Legend(StringBuilder sb, int i, string colour, string name)
    {
        var y = Top + 8 + (i * 16);
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 12}\" y=\"{y - 8}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 26}\" y=\"{y + 1}\">{Esc(name)}</text>");
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static double X(int dayIndex, int days) => Left + ((Width - Left - Right) * (dayIndex + 0.5) / days);

    private static double Y(double v, double lo, double hi) => Height - Bottom - ((Height - Top - Bottom) * (Math.Clamp(v, lo, hi) - lo) / (hi - lo));

    private static string F(double v) => v.ToString("0.0", Inv);

    private static string Esc(string text) => RenderText.Html(text);
}
