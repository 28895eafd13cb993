using System.Net;
using System.Text.RegularExpressions;
using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.Core.Alerts;

/// <summary>
/// Turns checked webhook alerts into events: which host each is about, redacted label and
/// annotation values, and the occurrence stream key (host, fingerprint, startsAt, status).
/// </summary>
public static partial class AlertFacts
{
    /// <summary>The facts of a notification; two alerts with the same key in one body give one fact.</summary>
    public static IReadOnlyList<AlertFact> From(IEnumerable<AlertNotice> alerts, string configuredHost, string actor, Redactor redactor)
    {
        var facts = new List<AlertFact>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in alerts)
        {
            var fact = From(a, configuredHost, actor, redactor);
            if (keys.Add(fact.StreamKey))
            {
                facts.Add(fact);
            }
        }

        return facts;
    }

    public static AlertFact From(AlertNotice a, string configuredHost, string actor, Redactor redactor)
    {
        var host = HostOf(a.Labels, configuredHost);
        var labels = Redact(a.Labels, redactor);
        var annotations = Redact(a.Annotations, redactor);
        var name = redactor.Redact(a.AlertName);
        var status = a.State == AlertState.Firing ? "firing" : "resolved";
        var key = StreamKeys.AlertOccurrence(host, a.Fingerprint, a.StartsAt, status);
        ILedgerEvent e = a.State == AlertState.Firing
            ? new AlertFired(host, actor, name, a.Fingerprint, a.StartsAt, labels.GetValueOrDefault("severity"), labels, annotations, a.GeneratorUrl is null ? null : redactor.Redact(a.GeneratorUrl))
            : new AlertResolved(host, actor, name, a.Fingerprint, a.StartsAt, a.EndsAt!.Value, labels, annotations);
        return new AlertFact(key, e);
    }

    /// <summary>
    /// The host an alert is about: its <c>host</c> label; else the host part of its
    /// <c>instance</c> label (<c>mediabox:9100</c>, <c>http://mediabox:8096/health</c>,
    /// <c>[2001:db8::1]:9100</c>); else, or when that names this machine's loopback
    /// (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>), the host Ledger runs for.
    /// </summary>
    public static string HostOf(IReadOnlyDictionary<string, string> labels, string configuredHost)
    {
        if (labels.TryGetValue("host", out var host) && !string.IsNullOrWhiteSpace(host))
        {
            return host.Trim();
        }

        if (labels.TryGetValue("instance", out var instance) && InstanceHost(instance) is { } part && !IsLoopback(part))
        {
            return part;
        }

        return configuredHost;
    }

    /// <summary>The host part of an instance label, or null when there is none.</summary>
    public static string? InstanceHost(string instance)
    {
        var s = instance.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            s = s[(scheme + 3)..];
        }

        var end = s.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            s = s[..end];
        }

        var at = s.LastIndexOf('@');
        if (at >= 0)
        {
            s = s[(at + 1)..];
        }

        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            s = close > 0 ? s[1..close] : s[1..];
        }
        else if (s.Count(c => c == ':') == 1)
        {
            s = s[..s.IndexOf(':', StringComparison.Ordinal)];
        }

        return s.Length == 0 ? null : s;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Redacted values under the same keys. A value whose key names a secret (<c>api_key</c>,
    /// <c>password</c>, <c>token</c>) is replaced whole; any other value goes through the redactor.
    /// </summary>
    private static Dictionary<string, string> Redact(IReadOnlyDictionary<string, string> map, Redactor redactor)
    {
        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = SecretKey().IsMatch(key) && value.Length > 0 ? Redactor.Fingerprint(value) : redactor.Redact(value);
        }

        return result;
    }

    [GeneratedRegex("(password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SecretKey();
}
