using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ledger.App.Reports;

/// <summary>
/// The fleet's page of a month (<c>ledger report monthly --fleet</c>): one line per host with the
/// figures an admin compares across machines, each linking to that host's own report.
/// </summary>
internal static class FleetReportIndex
{
    /// <summary>One host's line.</summary>
    internal sealed record Row(string Host, string File, long Changes, long Deploys, long DeploysNotSucceeded, string PassRate, long AlertsFired, long AlertsOpen, int ChecklistOpen);

    public static Row RowOf(MonthlyReportModel m, string file) => new(
        m.Host,
        file,
        m.Changes.Count,
        m.Deploys.Deploys.Count,
        m.Deploys.Outcomes.Where(o => o.Outcome != "succeeded").Sum(o => o.Count),
        m.Validations.PassRate,
        m.Alerts.Fired,
        m.Alerts.OpenCount,
        m.Checklist.Count(c => !c.Done));

    /// <summary>The page in <paramref name="format"/> (md, html or json).</summary>
    public static string Render(string month, string timeZone, IReadOnlyList<Row> rows, string format) => format switch
    {
        "json" => Json(month, timeZone, rows),
        "html" => Html(month, timeZone, rows),
        _ => Markdown(month, timeZone, rows),
    };

    private static readonly string[] Heads = ["Host", "Changes", "Deploys", "Not succeeded", "Checks passed", "Alerts fired", "Open at month end", "Checklist open"];

    private static string[] Cells(Row r) =>
    [
        N(r.Changes), N(r.Deploys), N(r.DeploysNotSucceeded), r.PassRate, N(r.AlertsFired), N(r.AlertsOpen), r.ChecklistOpen.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Markdown(string month, string timeZone, IReadOnlyList<Row> rows)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"# Fleet review {month}\n\n");
        s.Append(CultureInfo.InvariantCulture, $"{rows.Count} host{(rows.Count == 1 ? "" : "s")}, times in {timeZone}. Each host's name links to its own monthly report.\n\n");
        s.Append("| ").Append(string.Join(" | ", Heads)).Append(" |\n");
        s.Append("| --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", Heads.Length - 1))).Append('\n');
        foreach (var r in rows)
        {
            s.Append(CultureInfo.InvariantCulture, $"| [{EscapeMd(r.Host)}]({Uri.EscapeDataString(r.File)}) | ").Append(string.Join(" | ", Cells(r))).Append(" |\n");
        }

        return s.ToString();
    }

    private static string Html(string month, string timeZone, IReadOnlyList<Row> rows)
    {
        var e = HtmlEncoder.Default;
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fleet review {month}</title>\n");
        s.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em}td{text-align:right}td:first-child{text-align:left}</style></head><body>\n");
        s.Append(CultureInfo.InvariantCulture, $"<h1>Fleet review {month}</h1>\n<p>{rows.Count} host{(rows.Count == 1 ? "" : "s")}, times in {e.Encode(timeZone)}. Each host's name links to its own monthly report.</p>\n<table>\n<tr>");
        foreach (var h in Heads)
        {
            s.Append("<th>").Append(e.Encode(h)).Append("</th>");
        }

        s.Append("</tr>\n");
        foreach (var r in rows)
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"{e.Encode(Uri.EscapeDataString(r.File))}\">{e.Encode(r.Host)}</a></td>");
            foreach (var c in Cells(r))
            {
                s.Append("<td>").Append(e.Encode(c)).Append("</td>");
            }

            s.Append("</tr>\n");
        }

        return s.Append("</table>\n</body></html>\n").ToString();
    }

    private static string Json(string month, string timeZone, IReadOnlyList<Row> rows) =>
        JsonSerializer.Serialize(
            new
            {
                month,
                timeZone,
                hosts = rows.Select(r => new
                {
                    host = r.Host,
                    report = r.File,
                    changes = r.Changes,
                    deploys = r.Deploys,
                    deploysNotSucceeded = r.DeploysNotSucceeded,
                    checksPassed = r.PassRate,
                    alertsFired = r.AlertsFired,
                    alertsOpen = r.AlertsOpen,
                    checklistOpen = r.ChecklistOpen,
                }),
            },
            JsonOptions) + "\n";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string EscapeMd(string text) => WebUtility.HtmlEncode(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
