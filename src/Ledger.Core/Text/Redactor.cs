using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

/// <summary>
/// Removes secrets from text before it is stored, logged or rendered. A redacted value is
/// replaced by a short fingerprint of itself, so a changed secret still shows up as a change
/// without revealing either value.
/// </summary>
public sealed partial class Redactor
{
    private readonly IReadOnlyList<Regex> _extra;

    // A word every match of the rule contains, in ASCII: Assignment's keys all hold one of these.
    private static readonly SearchValues<string> AssignmentWords = SearchValues.Create(["pass", "secret", "token", "key", "psk", "credential"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> AuthorizationWords = SearchValues.Create(["authorization"], StringComparison.OrdinalIgnoreCase);

    public Redactor(IEnumerable<string>? extraPatterns = null)
    {
        _extra = (extraPatterns ?? []).Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToArray();
    }

    /// <summary>
    /// The redactor every path uses: the built-in rules plus the admin's patterns, set once at
    /// start-up by <see cref="Configure"/> (from $LEDGER_HOME/redact.json).
    /// </summary>
    public static Redactor Default { get; private set; } = new();

    /// <summary>Adds the admin's patterns (regular expressions) to the built-in rules for this process.</summary>
    /// <exception cref="ArgumentException">A pattern is not a valid regular expression.</exception>
    public static void Configure(IEnumerable<string> extraPatterns) => Default = new Redactor(extraPatterns);

    public static string Fingerprint(string secret)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return $"[REDACTED:{Convert.ToHexStringLower(hash)[..8]}]";
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Each rule runs only where the text holds what its pattern cannot match without (the
        // rules' case-insensitive words are looked for as ASCII, so text with anything else in it
        // always runs them): most diff lines of an import hold none, and the regexes are most of
        // an import's own work.
        var result = text;
        if (result.Contains("-----BEGIN ", StringComparison.Ordinal))
        {
            result = PemBlock().Replace(result, m => m.Groups["begin"].Value + "\n" + Fingerprint(m.Groups["body"].Value) + "\n" + m.Groups["end"].Value);
            result = AgeBlock().Replace(result, m => m.Groups["begin"].Value + "\n" + Fingerprint(m.Groups["body"].Value) + "\n" + m.Groups["end"].Value);
        }

        if (result.Contains("ENC[AES256_GCM,data:", StringComparison.Ordinal))
        {
            result = SopsValue().Replace(result, m => Fingerprint(m.Value));
        }

        if (result.Contains("://", StringComparison.Ordinal))
        {
            result = UrlCredentials().Replace(result, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Fingerprint(m.Groups["password"].Value) + "@");
        }

        var ascii = Ascii.IsValid(result);
        if (!ascii || result.AsSpan().ContainsAny(AuthorizationWords))
        {
            result = AuthorizationHeader().Replace(result, m => m.Groups["prefix"].Value + Fingerprint(m.Groups["value"].Value));
        }

        if (!ascii || result.AsSpan().ContainsAny(AssignmentWords))
        {
            result = Assignment().Replace(result, m => m.Groups["prefix"].Value + m.Groups["quote"].Value + Fingerprint(m.Groups["value"].Value) + m.Groups["quote"].Value);
        }

        result = KnownTokenShapes().Replace(result, m => Fingerprint(m.Value));
        foreach (var pattern in _extra)
        {
            result = pattern.Replace(result, m => Fingerprint(m.Value));
        }

        return result;
    }

    // The key must end in the secret word, so "passwordFile = /run/secrets/x" (a path) stays readable.
    // A quoted value runs to its closing quote (spaces and punctuation included); booleans and null
    // ("wheelNeedsPassword = false") are settings, not secrets. Never crosses a line end.
    [GeneratedRegex("""(?<prefix>\b(?:[A-Za-z0-9_.-]*(?:password|passwd|db_?pass|smtp_?pass|secret|token|api[_-]?key|apikey|hashedPassword|private[_-]?key|secret[_-]?key|access[_-]?key|account[_-]?key|auth[_-]?key|psk|credentials?))["']?[ \t]*(?:=|:)[ \t]*)(?!(?:true|false|null)\b)(?:(?<quote>")(?<value>[^"\r\n]{1,4096})"|(?<quote>')(?<value>[^'\r\n]{1,4096})'|(?<quote>)(?<value>[^"'\s;,}#]{1,4096}))""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Assignment();

    // Tokens recognisable by their shape wherever they appear: GitHub, GitLab, Slack, AWS access
    // key ids, Stripe-like sk_live keys, JWTs, and Slack/Discord webhook URLs.
    [GeneratedRegex("""\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk_(?:live|test)_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})|https://(?:hooks\.slack\.com/services|discord(?:app)?\.com/api/webhooks)/[A-Za-z0-9/_-]+""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex KnownTokenShapes();

    [GeneratedRegex("""(?<begin>-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)(?<body>[\s\S]*?)(?<end>-----END [A-Z0-9 ]*PRIVATE KEY-----)""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PemBlock();

    [GeneratedRegex("""(?<begin>-----BEGIN AGE ENCRYPTED FILE-----)(?<body>[\s\S]*?)(?<end>-----END AGE ENCRYPTED FILE-----)""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AgeBlock();

    [GeneratedRegex("""ENC\[AES256_GCM,data:[^\]]*\]""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SopsValue();

    [GeneratedRegex("""(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^:/@\s]+):(?<password>[^/\s]+)@""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UrlCredentials();

    [GeneratedRegex("""(?<prefix>\bAuthorization\s*:\s*(?:Bearer|Basic|Token)?\s*)(?<value>[^\s"']+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AuthorizationHeader();
}
