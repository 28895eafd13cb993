using System.Buffers;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// Whether a text holds a place where a rule's pattern can match, read from the pattern's own
// grammar (its names, separators and value shapes), before the rule is built or run. Each check
// accepts every text its rule matches, and some it does not: it reads only ASCII blanks as \s
// (a pattern's \s also stops at other spaces, where a check reads on and so accepts more) and
// leaves out word boundaries and closing quotes. What a check gains is a rule never built: a
// NonBacktracking rule costs milliseconds of CPU and megabytes of collected memory to build, and
// most histories hold these rules' words ("password " in prose, " -u", "://", a port-like
// ":123:") without a single place they could match (issue 19). The command-line checks are in
// Redactor.Candidates.Commands.cs. RedactorCandidateSpecs checks every check against its rule on
// random texts.
public sealed partial class Redactor
{
    private static readonly SearchValues<char> AsciiSpaces = SearchValues.Create(" \t\n\v\f\r");

    /// <summary>What <see cref="AssignmentRule"/> and <see cref="BlockHeaderRule"/> read as a key: <c>[A-Za-z0-9_.-]</c>.</summary>
    private static readonly SearchValues<char> KeyChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    /// <summary>What <see cref="XmlElementRule"/> reads as a tag: <c>[A-Za-z0-9_.:-]</c>.</summary>
    private static readonly SearchValues<char> TagChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-");

    // SecretName's alternatives as the end of a key: the plain names, and the owners a "key" needs.
    private static readonly string[] PlainSecretNames = ["pass", "password", "passwd", "passphrase", "pwd", "secret", "token", "psk", "credential", "credentials"];
    private static readonly string[] KeyOwners = ["private", "secret", "access", "account", "auth", "preshared", "master", "encryption", "signing", "client", "app", "license", "session", "admin", "api"];

    /// <summary>
    /// Whether <paramref name="key"/> ends in one of <see cref="SecretName"/>'s names, ASCII letters
    /// in any case (callers hold text whose words are found reliably as ASCII).
    /// </summary>
    private static bool EndsWithSecretName(ReadOnlySpan<char> key) => SecretNameSuffix(key) >= 0;

    private static bool EndsWithWord(ReadOnlySpan<char> s, string word, out ReadOnlySpan<char> before)
    {
        var ends = s.EndsWith(word, StringComparison.OrdinalIgnoreCase);
        before = ends ? s[..^word.Length] : default;
        return ends;
    }

    /// <summary>The text without the one '_' or '-' a name's <c>[_-]?</c> allows at its end.</summary>
    private static ReadOnlySpan<char> WithoutSeparator(ReadOnlySpan<char> s) => s is [.., '_' or '-'] ? s[..^1] : s;

    // ---- Values after a name ------------------------------------------------------------------

    /// <summary>
    /// Whether a line can hold a <see cref="BlockHeaderRule"/> match: a key ending in a secret
    /// name, perhaps a quote and blanks, then ':', blanks and '|' or '>' (a YAML block value), or
    /// '=' with "''" later on its line (a Nix multi-line string). Only where the words are found reliably.
    /// </summary>
    private static bool HasBlockHeaderLine(string text)
    {
        var s = text.AsSpan();
        var from = 0;
        var lineEnd = -1; // the line checked for "''" last: where it ends, and where its last "''" starts
        var lastQuotes = -1;
        while (from < s.Length && s[from..].IndexOfAny(AssignmentWords) is var hit and >= 0)
        {
            // Every word of a key ends where the key does: one look per key.
            var keyEnd = s[(from + hit)..].IndexOfAnyExcept(KeyChars);
            if (keyEnd < 0)
            {
                return false;
            }

            keyEnd += from + hit;
            if (EndsWithSecretName(s[..keyEnd]) && BlockValueAfter(s[keyEnd..]) is var value and not '\0')
            {
                if (value is ':')
                {
                    return true;
                }

                // '=': "''" must follow on the key's line. Each line is searched once, whatever
                // number of keys it holds.
                if (keyEnd >= lineEnd)
                {
                    lineEnd = s[keyEnd..].IndexOf('\n') is var newline and >= 0 ? keyEnd + newline : s.Length;
                    lastQuotes = s[keyEnd..lineEnd].LastIndexOf("''", StringComparison.Ordinal) is var q and >= 0 ? keyEnd + q : -1;
                }

                if (lastQuotes > keyEnd)
                {
                    return true;
                }
            }

            from = keyEnd + 1;
        }

        return false;
    }

    /// <summary>
    /// After a key: ':' when blanks and '|' or '>' follow it (a YAML block value), '=' when '='
    /// follows (a Nix string may open later on the line), else '\0'. A quote and blanks may stand between.
    /// </summary>
    private static char BlockValueAfter(ReadOnlySpan<char> s)
    {
        if (s is ['"' or '\'', ..])
        {
            s = s[1..];
        }

        s = s.TrimStart(" \t");
        return s switch
        {
            [':', ..] when s[1..].TrimStart(" \t") is ['|' or '>', ..] => ':',
            ['=', ..] => '=',
            _ => '\0',
        };
    }

    /// <summary>
    /// Whether the text can hold an <see cref="XmlElementRule"/> match: a tag ending in a secret
    /// name, perhaps attributes, '>', at least one character, and "&lt;/". Only where the words are found reliably.
    /// </summary>
    private static bool HasSecretElement(string text)
    {
        // The first '>' after the last tag looked at, and whether a value and "</" follow it: a
        // later tag before it has the same first '>' after it.
        var close = -1;
        var valueFollows = false;
        for (var open = text.IndexOf('<'); open >= 0; open = text.IndexOf('<', open + 1))
        {
            var rest = text.AsSpan(open + 1);
            var tagEnd = rest.IndexOfAnyExcept(TagChars);
            if (tagEnd <= 0 || !EndsWithSecretName(rest[..tagEnd]) || rest[tagEnd] is not (' ' or '\t' or '>'))
            {
                continue;
            }

            // The attributes run to the first '>'; the value from there to the first '<', which must start "</".
            if (close <= open)
            {
                close = text.IndexOf('>', open);
                if (close < 0)
                {
                    return false;
                }

                var value = text.AsSpan(close + 1);
                valueFollows = value.IndexOf('<') is var next and > 0 && value[next..].StartsWith("</", StringComparison.Ordinal);
            }

            if (valueFollows)
            {
                return true;
            }
        }

        return false;
    }

    // ---- Lines of their own -------------------------------------------------------------------

    /// <summary>
    /// Where, from <paramref name="from"/> on, a line that can be a <see cref="PgpassLineRule"/>
    /// match holds its port field, or -1: host:port:database:user:password and nothing after but blanks.
    /// </summary>
    private static int NextPgpassLine(string text, int from)
    {
        for (var hit = NextPortField(text, from); hit >= 0; hit = NextPortField(text, LineEnd(text, hit)))
        {
            var lineStart = hit == 0 ? 0 : text.LastIndexOf('\n', hit - 1) + 1;
            var newline = text.IndexOf('\n', hit);
            if (MayBePgpassLine(text.AsSpan(lineStart, (newline < 0 ? text.Length : newline) - lineStart)))
            {
                return hit;
            }
        }

        return -1;
    }

    private static bool MayBePgpassLine(ReadOnlySpan<char> line)
    {
        // The host: what stands before the line's first ':', after a diff prefix and indentation.
        var colon = line.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        var host = line[..colon];
        if (host is ['+' or '-' or ' ', ..])
        {
            host = host[1..];
        }

        host = host.TrimStart(" \t");
        if (host.IndexOfAny(AsciiSpaces) >= 0 || host.Contains('#'))
        {
            return false;
        }

        // The port: one to five digits, or '*'.
        var rest = line[(colon + 1)..];
        var digits = rest.IndexOfAnyExceptInRange('0', '9');
        if (rest.StartsWith("*:", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }
        else if (digits is >= 1 and <= 5 && rest[digits] == ':')
        {
            rest = rest[(digits + 1)..];
        }
        else
        {
            return false;
        }

        // The database and the user: not empty, no blanks.
        for (var field = 0; field < 2; field++)
        {
            var end = rest.IndexOf(':');
            if (end <= 0 || rest[..end].IndexOfAny(AsciiSpaces) >= 0)
            {
                return false;
            }

            rest = rest[(end + 1)..];
        }

        // The password: not empty, then nothing but blanks and perhaps a '\r'.
        var valueEnd = rest.IndexOfAny(AsciiSpaces);
        return valueEnd != 0 && !rest.IsEmpty && (valueEnd < 0 || rest[valueEnd..].TrimStart(" \t") is "" or "\r");
    }

    /// <summary>What a URL's user (before its ':') cannot hold: <c>[^:/@\s"'&lt;&gt;]</c>, ASCII blanks only.</summary>
    private static readonly SearchValues<char> UrlUserEnds = SearchValues.Create(":/@\"'<> \t\n\v\f\r");

    /// <summary>What a URL's password (before its '@') cannot hold: <c>[^/\s"'&lt;&gt;]</c>, ASCII blanks only.</summary>
    private static readonly SearchValues<char> UrlPasswordEnds = SearchValues.Create("/\"'<> \t\n\v\f\r");

    private static readonly SearchValues<char> SchemeChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-");

    /// <summary>
    /// Where, from <paramref name="from"/> on, a <see cref="UrlCredentialsRule"/> match can hold its
    /// "://", or -1: a scheme before it, then a user, ':', and a password with '@' after its first character.
    /// </summary>
    private static int NextUrlCredentials(string text, int from)
    {
        for (var at = text.IndexOf("://", from, StringComparison.Ordinal); at >= 0; at = text.IndexOf("://", at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !SchemeChars.Contains(text[at - 1]))
            {
                continue;
            }

            var rest = text.AsSpan(at + 3);
            var user = rest.IndexOfAny(UrlUserEnds);
            if (user < 0 || rest[user] != ':')
            {
                continue;
            }

            var password = rest[(user + 1)..];
            var end = password.IndexOfAny(UrlPasswordEnds);
            if (end >= 0)
            {
                password = password[..end];
            }

            if (password.Length > 1 && password[1..].Contains('@'))
            {
                return at;
            }
        }

        return -1;
    }

    // ---- For tests ----------------------------------------------------------------------------

    /// <summary>
    /// Each rule that has a check here, with whether its check accepts the text at one of the rule's
    /// matches: the whole text for a rule run on the whole text, the match's line for one run on
    /// the lines its check finds. Tests compare on random texts; every one must be accepted.
    /// </summary>
    internal static IReadOnlyList<(string Name, Regex Rule, Func<string, Match, bool> Accepts)> CandidateChecks() =>
    [
        ("block header", BlockHeaderRule.Regex, (text, _) => HasBlockHeaderLine(text)),
        ("XML element", XmlElementRule.Regex, (text, _) => HasSecretElement(text)),
        ("short command-line flag", CommandLineShortSecretRule.Regex, (text, _) => HasShortCommandSecret(text)),
        (".netrc password", NetrcPasswordRule.Regex, (text, _) => HasNetrcPassword(text)),
        (".pgpass line", PgpassLineRule.Regex, (text, m) => FindsLineOf(text, m, NextPgpassLine)),
        ("URL credentials", UrlCredentialsRule.Regex, (text, m) => FindsLineOf(text, m, NextUrlCredentials)),
    ];

    /// <summary>Whether <paramref name="next"/>, searching from the start of the line that holds the match, finds a place on that line.</summary>
    private static bool FindsLineOf(string text, Match m, Func<string, int, int> next)
    {
        var lineStart = m.Index == 0 ? 0 : text.LastIndexOf('\n', m.Index - 1) + 1;
        var hit = next(text, lineStart);
        return hit >= 0 && hit < LineEnd(text, m.Index) && !m.ValueSpan.Contains('\n');
    }
}
