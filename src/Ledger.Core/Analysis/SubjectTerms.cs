using System.Text;
using Ledger.Core.Events;

namespace Ledger.Core.Analysis;

/// <summary>
/// The words an incident's subject is about: alert label values (job, service, container, name,
/// the host part of instance, ...), the alert name split at case changes (<c>JellyfinDown</c> →
/// <c>jellyfin</c>), check names, unit names and the admin's own <c>--about</c> words. Words that
/// say how something failed rather than what (down, high, failed, ...) are left out.
/// </summary>
public static class SubjectTerms
{
    /// <summary>The alert labels whose values name what is affected.</summary>
    public static readonly IReadOnlyList<string> AlertLabels = ["job", "service", "container", "name", "app", "unit", "instance", "exported_job", "pod", "mountpoint", "device"];

    /// <summary>Words that say how something failed, or nothing at all: never terms.</summary>
    private static readonly HashSet<string> Vague = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "not", "too", "has", "was", "are", "with", "from", "into", "over", "around", "about", "after", "before", "again",
        "down", "high", "low", "failed", "failing", "failure", "fails", "error", "errors", "alert", "critical", "warning", "info",
        "firing", "resolved", "many", "rate", "total", "usage", "missing", "absent", "stalled", "stuck", "slow", "broken",
        "unhealthy", "restarted", "restarting", "restart", "unavailable", "unreachable", "timeout", "latency", "percent",
    };

    /// <summary>Words of labels and alert names that name a kind of thing rather than the thing (every change mentions them); the admin's --about words may still use them.</summary>
    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "check", "service", "services", "target", "targets", "instance", "host", "node", "job", "status", "state", "bytes",
        "localhost", "http", "https", "tcp", "udp", "port", "exporter", "metrics", "scrape", "systemd", "podman", "container", "containers",
    };

    /// <summary>
    /// The terms of an event that is the subject of an analysis, plus the <paramref name="about"/>
    /// words (any subject, or none). The host's own name is left out: every change is on it.
    /// </summary>
    public static IReadOnlyList<Term> Of(object? subject, string? about, string? host = null)
    {
        var terms = new List<Term>();
        switch (subject)
        {
            case AlertFired a:
                FromLabels(a.Labels, terms);
                AddWords(a.AlertName, $"alert name {a.AlertName}", terms);
                break;
            case AlertResolved a:
                FromLabels(a.Labels, terms);
                AddWords(a.AlertName, $"alert name {a.AlertName}", terms);
                break;
            case ValidationRun v:
                AddWords(v.Check, $"check {v.Check}", terms);
                foreach (var f in v.Findings)
                {
                    AddWords(f.Subject, $"finding {f.Subject}", terms);
                }

                break;
            case ServiceRestarted s:
                AddWords(UnitName(s.Unit), $"unit {s.Unit}", terms);
                break;
            case RestoreFailed r:
                AddWords(r.Step, $"restore step {r.Step}", terms);
                break;
        }

        if (!string.IsNullOrWhiteSpace(about))
        {
            AddWords(about, "--about", terms);
        }

        if (!string.IsNullOrEmpty(host))
        {
            var own = Words(host.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
            own.Add(host.ToLowerInvariant());
            terms.RemoveAll(t => own.Contains(t.Word) && t.Source != "--about");
        }

        return terms;
    }

    /// <summary>Lower-case words of <paramref name="text"/>, split at anything not a letter or digit and at case changes (<c>JellyfinDown</c> → jellyfin, down).</summary>
    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (word.Length > 0)
                {
                    yield return word.ToString().ToLowerInvariant();
                    word.Clear();
                }

                continue;
            }

            // A new word starts at an upper-case letter after a lower-case one (JellyfinDown), or
            // at the last capital of a run followed by lower case (GPUTemperature → gpu, temperature).
            var boundary = word.Length > 0 && char.IsUpper(c)
                && (char.IsLower(text[i - 1]) || (i + 1 < text.Length && char.IsLower(text[i + 1]) && char.IsUpper(text[i - 1])));
            if (boundary)
            {
                yield return word.ToString().ToLowerInvariant();
                word.Clear();
            }

            word.Append(c);
        }

        if (word.Length > 0)
        {
            yield return word.ToString().ToLowerInvariant();
        }
    }

    private static void FromLabels(IReadOnlyDictionary<string, string> labels, List<Term> terms)
    {
        foreach (var key in AlertLabels)
        {
            if (!labels.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var text = key == "instance" ? InstanceHost(value) : value;
            if (key == "unit")
            {
                text = UnitName(text);
            }

            AddWords(text, $"{key}={value}", terms);
        }
    }

    /// <summary>The host part of an instance label: <c>media.lan:8096</c> → <c>media</c>, <c>[::1]:9100</c> → nothing useful.</summary>
    private static string InstanceHost(string instance)
    {
        var host = instance;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        host = host.Split('/')[0];
        if (host.StartsWith('['))
        {
            return "";
        }

        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            host = host[..colon];
        }

        // An address says nothing about what runs there; the first label of a name does.
        return host.All(ch => char.IsDigit(ch) || ch == '.') ? "" : host.Split('.')[0];
    }

    /// <summary><c>podman-jellyfin.service</c> → <c>podman-jellyfin</c>.</summary>
    private static string UnitName(string unit)
    {
        var dot = unit.LastIndexOf('.');
        return dot > 0 ? unit[..dot] : unit;
    }

    private static void AddWords(string text, string source, List<Term> terms)
    {
        foreach (var w in Words(text))
        {
            if (w.Length < 3 || Vague.Contains(w) || (source != "--about" && Generic.Contains(w)) || w.All(char.IsDigit) || terms.Any(t => t.Word == w))
            {
                continue;
            }

            terms.Add(new Term(w, source));
        }
    }
}
