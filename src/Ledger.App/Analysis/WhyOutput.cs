using System.Globalization;
using System.Text.Json;
using Ledger.App.Rendering;
using Ledger.Core.Analysis;
using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.App.Analysis;

/// <summary>An analysis as text (the CLI) and as the documented JSON (docs/operations.md, "Why did this break?").</summary>
internal static class WhyOutput
{
    /// <summary>The subject, the window, the suspects best first with their reasons and the commands to look closer and to go back, then what changed in state.</summary>
    public static IEnumerable<string> Lines(WhyReport report, TimeZoneInfo zone)
    {
        var s = report.Subject;
        yield return s.Seq is { } seq
            ? $"Why #{seq}: {s.Kind} {s.Title}, host {s.Host}, {TextTable.LocalTime(s.Time, zone)}"
            : $"Why {s.Title}, host {s.Host}, {TextTable.LocalTime(s.Time, zone)}";
        yield return $"Looked at {DurationText.Format(report.To - report.From)} before it ({TextTable.LocalTime(report.From, zone)} to {TextTable.LocalTime(report.To, zone)}, {zone.Id})"
            + (report.Terms.Count == 0 ? "; no terms to match (give --about WORDS)." : $" for: {string.Join(", ", report.Terms.Select(t => t.Word))}.");
        yield return "";
        if (report.Suspects.Count == 0)
        {
            yield return $"No change on {s.Host} in that window: no commit, deploy, restore or service restart. Widen it with --window, or check another host with --host.";
        }
        else
        {
            yield return "Suspects, most likely first:";
            var rank = 0;
            foreach (var x in report.Suspects)
            {
                rank++;
                yield return $"{rank,3}. #{x.Seq}  {DurationText.Format(report.Subject.Time - x.Timestamp)} before  {x.Kind}  {x.Title}  (score {x.Score})";
                foreach (var reason in x.Reasons)
                {
                    yield return $"       - {reason}";
                }
            }

            yield return "";
            yield return $"Look closer: ledger show {report.Suspects[0].Seq}";
            if (report.RestoreTo is { } to)
            {
                yield return $"Go back:     ledger restore --to {to} --host {s.Host} --dry-run   (the event just before the top suspect; drop --dry-run to do it)";
            }
        }

        if (report.StateChanges.Count > 0)
        {
            yield return "";
            yield return "State that changed over the window:";
            foreach (var c in report.StateChanges)
            {
                yield return $"  - {c.Text} (#{c.BeforeSeq} → #{c.AfterSeq})";
            }
        }
    }

    /// <summary>The JSON shape: subject, window, terms, suspects, stateChanges, restoreTo.</summary>
    public static object Shape(WhyReport report) => new
    {
        subject = new
        {
            seq = report.Subject.Seq,
            kind = report.Subject.Kind,
            title = report.Subject.Title,
            host = report.Subject.Host,
            timestamp = Iso(report.Subject.Time),
        },
        window = new { from = Iso(report.From), to = Iso(report.To) },
        terms = report.Terms.Select(t => new { word = t.Word, source = t.Source }),
        suspects = report.Suspects.Select(x => new
        {
            seq = x.Seq,
            kind = x.Kind,
            type = x.Type,
            title = x.Title,
            timestamp = Iso(x.Timestamp),
            beforeSeconds = (long)(report.Subject.Time - x.Timestamp).TotalSeconds,
            score = x.Score,
            notDeployed = x.NotDeployed,
            reasons = x.Reasons,
        }),
        stateChanges = report.StateChanges.Select(c => new { kind = c.Kind, subject = c.Subject, text = c.Text, beforeSeq = c.BeforeSeq, afterSeq = c.AfterSeq }),
        restoreTo = report.RestoreTo,
    };

    public static string Json(WhyReport report) => JsonSerializer.Serialize(Shape(report), EventJson.Indented);

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
