using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// The rules that nearly every history needs, found by hand: the assignment (name = value), the
// Authorization header and the command-line flag (--password x). Each scanner finds exactly what
// its rule's pattern finds, match for match and group for group (RedactorHitSpecs compares them on
// random texts made of the patterns' pieces), in one pass over the text. Building those three
// NonBacktracking regexes cost an import 40 ms of CPU before its first append and 11 MB of tables
// for the collector to move (issue 19); their patterns stay as the definition the scanners are
// tested against, and still run where a scanner's ASCII reading of case is not the pattern's: a
// text holding a character that folds onto an ASCII letter (the Kelvin sign, the long s, the
// Turkish i's), and RedactEverywhere.
public sealed partial class Redactor
{
    /// <summary>A match found by hand: where it lies in the text.</summary>
    internal interface IFound
    {
        int Index { get; }

        int Length { get; }
    }

    /// <summary>Where a group of a match lies, or <see cref="None"/> when it took no part.</summary>
    internal readonly record struct Place(int Index, int Length)
    {
        public static Place None => new(-1, 0);

        public bool Success => Index >= 0;

        public int End => Index + Length;

        public static Place Of(Group group) => group.Success ? new(group.Index, group.Length) : None;

        public ReadOnlySpan<char> In(string input) => Success ? input.AsSpan(Index, Length) : default;
    }

    /// <summary>
    /// A match of the assignment, Authorization or command-line rule, as its evaluator reads it:
    /// the whole match and the groups of the patterns (those a rule has not stay <see cref="Place.None"/>).
    /// </summary>
    internal readonly record struct Hit(int Index, int Length, Place Secret, Place Query, Place Key, Place Dq, Place Sq, Place Bare, Place User) : IFound
    {
        public int End => Index + Length;

        public static Hit Of(Match m) =>
            new(m.Index, m.Length, Place.Of(m.Groups["secret"]), Place.Of(m.Groups["q"]), Place.Of(m.Groups["key"]), Place.Of(m.Groups["dq"]), Place.Of(m.Groups["sq"]), Place.Of(m.Groups["bare"]), Place.Of(m.Groups["user"]));

        public string Value(string input) => input.Substring(Index, Length);
    }

    /// <summary>The patterns the scanners are tested against, built on first use (tests).</summary>
    internal static Regex AssignmentPattern => AssignmentRule.Regex;

    /// <inheritdoc cref="AssignmentPattern"/>
    internal static Regex AuthorizationHeaderPattern => AuthorizationHeaderRule.Regex;

    /// <inheritdoc cref="AssignmentPattern"/>
    internal static Regex CommandLineFlagPattern => CommandLineSecretRule.Regex;

    /// <summary>The characters a case-insensitive pattern reads as ASCII letters although they are not (tests).</summary>
    internal static bool FoldsOntoAsciiLetter(char c) => FoldsOntoAscii.Contains(c);

    /// <summary>Every match <paramref name="next"/> finds, left to right, replaced by what <paramref name="value"/> makes of it.</summary>
    private static string ReplaceFound<T>(string input, Func<string, int, T?> next, Func<string, T, string> value)
        where T : struct, IFound
    {
        StringBuilder? result = null;
        var copied = 0;
        for (var found = next(input, 0); found is { } m; found = m.Index + m.Length < input.Length ? next(input, m.Index + m.Length) : null)
        {
            var replaced = value(input, m);
            if (replaced.Length == m.Length && input.AsSpan(m.Index, m.Length).SequenceEqual(replaced))
            {
                continue;
            }

            result ??= new StringBuilder(input.Length);
            result.Append(input, copied, m.Index - copied).Append(replaced);
            copied = m.Index + m.Length;
        }

        return result is null ? input : result.Append(input, copied, input.Length - copied).ToString();
    }

    // ---- What the patterns' classes hold --------------------------------------------------------

    private const int WordCategories =
        1 << (int)UnicodeCategory.UppercaseLetter | 1 << (int)UnicodeCategory.LowercaseLetter | 1 << (int)UnicodeCategory.TitlecaseLetter
        | 1 << (int)UnicodeCategory.ModifierLetter | 1 << (int)UnicodeCategory.OtherLetter | 1 << (int)UnicodeCategory.NonSpacingMark
        | 1 << (int)UnicodeCategory.DecimalDigitNumber | 1 << (int)UnicodeCategory.ConnectorPunctuation;

    /// <summary>Whether \b reads <paramref name="c"/> as a word character (\w, and the zero-width joiners).</summary>
    internal static bool IsBoundaryWordChar(char c) =>
        c < 128 ? IsAsciiWordChar(c) : c is '\u200C' or '\u200D' || (WordCategories & (1 << (int)CharUnicodeInfo.GetUnicodeCategory(c))) != 0;

    /// <summary>\b at <paramref name="at"/>: a word character on one side of it and not on the other.</summary>
    private static bool IsBoundary(string input, int at) =>
        (at > 0 && IsBoundaryWordChar(input[at - 1])) != (at < input.Length && IsBoundaryWordChar(input[at]));

    /// <summary>Whether <paramref name="word"/> (lower-case ASCII) stands at <paramref name="at"/>, its letters in either case.</summary>
    private static bool AsciiWordAt(string input, int at, string word)
    {
        if (at < 0 || at > input.Length - word.Length)
        {
            return false;
        }

        for (var i = 0; i < word.Length; i++)
        {
            var c = input[at + i];
            var w = word[i];
            if (char.IsAsciiLetterLower(w) ? (c | 0x20) != w : c != w)
            {
                return false;
            }
        }

        return true;
    }

    private static int SkipBlanks(string input, int at)
    {
        while (at < input.Length && input[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }

    private static bool IsBlankAt(string input, int at) => at < input.Length && input[at] is ' ' or '\t';

    /// <summary>
    /// A quoted value at <paramref name="at"/>: "(?&lt;dq&gt;(?:[^"\\\r\n]|\\.)*)" or
    /// '(?&lt;sq&gt;[^'\r\n]*)'. Neither can end anywhere but at its first unescaped closing quote
    /// on the line, so each is read once; the end is -1 when there is none.
    /// </summary>
    private static (Place Dq, Place Sq, int End) QuotedAt(string input, int at)
    {
        if (input[at] == '"')
        {
            for (var i = at + 1; i < input.Length;)
            {
                switch (input[i])
                {
                    case '"':
                        return (new Place(at + 1, i - at - 1), Place.None, i + 1);
                    case '\\' when i + 1 < input.Length && input[i + 1] != '\n':
                        i += 2;
                        break;
                    case '\\' or '\r' or '\n':
                        return (Place.None, Place.None, -1);
                    default:
                        i++;
                        break;
                }
            }

            return (Place.None, Place.None, -1);
        }

        var close = input.AsSpan(at + 1).IndexOfAny('\'', '\r', '\n');
        return close >= 0 && input[at + 1 + close] == '\''
            ? (Place.None, new Place(at + 1, close), at + 2 + close)
            : (Place.None, Place.None, -1);
    }

    // ---- Authorization headers ------------------------------------------------------------------

    private static readonly string[] AuthSchemes = ["bearer", "basic", "token", "bot", "digest", "negotiate", "mediabrowser", "emby"];

    /// <summary>The first match of <see cref="AuthorizationHeaderRule"/> at or after <paramref name="from"/>, found by hand.</summary>
    internal static Hit? NextAuthorizationHeader(string input, int from)
    {
        const string Word = "authorization";
        const string Proxy = "proxy-";
        for (var search = from; search <= input.Length - Word.Length;)
        {
            var found = input.AsSpan(search).IndexOf(Word, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return null;
            }

            var at = search + found;
            search = at + 1;
            if (!AsciiWordAt(input, at, Word))
            {
                continue;
            }

            // "Proxy-" belongs to the match when a word boundary stands before it; "Authorization"
            // after a '-' always has one.
            var start = at - Proxy.Length >= from && AsciiWordAt(input, at - Proxy.Length, Proxy) && IsBoundary(input, at - Proxy.Length)
                ? at - Proxy.Length
                : IsBoundary(input, at) ? at : -1;
            if (start < 0)
            {
                continue;
            }

            var secret = AuthorizationSecret(input, at + Word.Length);
            if (secret.Success)
            {
                return new Hit(start, secret.End - start, secret, Place.None, Place.None, Place.None, Place.None, Place.None, Place.None);
            }
        }

        return null;
    }

    /// <summary>
    /// After the name: ["']? then either [ \t]*[:=][ \t]*["']?(scheme)? or [ \t]+["']?scheme, then
    /// the secret. The optional quote is taken where it stands (without it, the quote could start
    /// nothing that follows); the blanks are taken whole (a blank can start nothing that follows).
    /// </summary>
    private static Place AuthorizationSecret(string input, int at)
    {
        var name = at < input.Length && input[at] is '"' or '\'' ? at + 1 : at;
        var blanks = SkipBlanks(input, name);
        if (blanks < input.Length && input[blanks] is ':' or '=')
        {
            var secret = SchemeThenSecret(input, SkipBlanks(input, blanks + 1), schemeRequired: false);
            if (secret.Success)
            {
                return secret;
            }
        }

        return blanks > name ? SchemeThenSecret(input, blanks, schemeRequired: true) : Place.None;
    }

    /// <summary>["']?, the scheme and its blanks (or, unless required, none), then [^\s"']+.</summary>
    private static Place SchemeThenSecret(string input, int at, bool schemeRequired)
    {
        if (at < input.Length && input[at] is '"' or '\'')
        {
            at++;
        }

        var afterScheme = AfterAuthScheme(input, at);
        if (afterScheme >= 0 && StartsAuthSecret(input, afterScheme))
        {
            return AuthSecretRun(input, afterScheme);
        }

        return !schemeRequired && StartsAuthSecret(input, at) ? AuthSecretRun(input, at) : Place.None;
    }

    /// <summary>Where the scheme's blanks end when a scheme and at least one blank stand at <paramref name="at"/>, or -1.</summary>
    private static int AfterAuthScheme(string input, int at)
    {
        foreach (var scheme in AuthSchemes)
        {
            if (AsciiWordAt(input, at, scheme) && IsBlankAt(input, at + scheme.Length))
            {
                return SkipBlanks(input, at + scheme.Length);
            }
        }

        return -1;
    }

    private static bool StartsAuthSecret(string input, int at) => at < input.Length && input[at] is not ('"' or '\'') && !char.IsWhiteSpace(input[at]);

    private static Place AuthSecretRun(string input, int at)
    {
        var end = at;
        while (StartsAuthSecret(input, end))
        {
            end++;
        }

        return new Place(at, end - at);
    }

    // ---- Command-line flags ---------------------------------------------------------------------

    private static readonly string[] FlagSecretNames = ["password", "passwd", "passphrase", "pass", "token", "secret", "apikey", "api-key", "authkey", "auth-key", "access-key", "secret-key"];

    /// <summary>Where a <see cref="CommandLineSecretRule"/> match can start: "--" or "pass:", found leftmost first in one search.</summary>
    private static readonly SearchValues<string> FlagStarts = SearchValues.Create(["--", "pass:"], StringComparison.OrdinalIgnoreCase);

    /// <summary>What <see cref="CommandLineSecretRule"/> reads as a flag's name: <c>[A-Za-z0-9-]</c>.</summary>
    private static readonly SearchValues<char> FlagChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>
    /// The first match of <see cref="CommandLineSecretRule"/> at or after <paramref name="from"/>,
    /// found by hand: "--", the flag's name, '=' or blanks, and a value; or "pass:" after a word
    /// boundary and a value (openssl).
    /// </summary>
    internal static Hit? NextCommandLineFlag(string input, int from)
    {
        for (var at = from; at < input.Length;)
        {
            var found = input.AsSpan(at).IndexOfAny(FlagStarts);
            if (found < 0)
            {
                return null;
            }

            var start = at + found;
            if (input[start] != '-')
            {
                if (AsciiWordAt(input, start, "pass:") && IsBoundary(input, start) && FlagValueAt(input, start, start + "pass:".Length) is { } pass)
                {
                    return pass;
                }

                at = start + 1;
                continue;
            }

            var nameEnd = input.AsSpan(start + 2).IndexOfAnyExcept(FlagChars) is var n and >= 0 ? start + 2 + n : input.Length;
            var flag = SecretFlagStart(input, start, nameEnd);
            if (flag >= 0)
            {
                var value = nameEnd < input.Length && input[nameEnd] == '=' ? nameEnd + 1
                    : IsBlankAt(input, nameEnd) ? SkipBlanks(input, nameEnd)
                    : -1;
                if (value >= 0 && FlagValueAt(input, flag, value) is { } hit)
                {
                    return hit;
                }
            }

            // Every "--" before the name's end shares its end and its value: none can do better.
            // Nor can a "pass:" start inside the name (':' is no part of one), only at its end.
            at = Math.Max(start + 1, nameEnd - 4);
        }

        return null;
    }

    /// <summary>
    /// Where a flag that ends at <paramref name="nameEnd"/> starts, its "--" at or after
    /// <paramref name="flag"/>, or -1: what follows "--" ([A-Za-z0-9-] up to the end) must be
    /// (?:[A-Za-z0-9]+-)* then one of the rule's secret names. So the name is right after the last
    /// "--" before it, or after segments that end in a single '-' and hold no "--" themselves.
    /// </summary>
    private static int SecretFlagStart(string input, int flag, int nameEnd)
    {
        foreach (var secret in FlagSecretNames)
        {
            var nameStart = nameEnd - secret.Length;
            if (nameStart < flag + 2 || !input.AsSpan(nameStart, secret.Length).Equals(secret, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var dashes = input.LastIndexOf("--", nameStart - 1, nameStart - flag, StringComparison.Ordinal);
            if (dashes + 2 == nameStart || input[nameStart - 1] == '-')
            {
                return dashes;
            }
        }

        return -1;
    }

    private static Hit? FlagValueAt(string input, int start, int at)
    {
        if (at >= input.Length)
        {
            return null;
        }

        if (input[at] is '"' or '\'')
        {
            var (dq, sq, end) = QuotedAt(input, at);
            return end < 0 ? null : new Hit(start, end - start, Place.None, Place.None, Place.None, dq, sq, Place.None, Place.None);
        }

        var stop = at;
        while (stop < input.Length && input[stop] is not ('"' or '\'' or '`' or ';' or '|' or '&' or ')') && !char.IsWhiteSpace(input[stop]))
        {
            stop++;
        }

        return stop == at ? null : new Hit(start, stop - start, Place.None, Place.None, Place.None, Place.None, Place.None, new Place(at, stop - at), Place.None);
    }

    // ---- Assignments ----------------------------------------------------------------------------

    /// <summary>
    /// The first match of <see cref="AssignmentRule"/> at or after <paramref name="from"/>, found
    /// by hand. A key is a run of [A-Za-z0-9_.-] that ends in a secret name (nothing after it can
    /// be a key character: a quote, a blank, ':' or '='), so each run that holds one of the
    /// assignment words is looked at once: its match starts at the '?' or '&amp;' before it, or at
    /// the first word boundary in it that leaves the name whole.
    /// </summary>
    internal static Hit? NextAssignment(string input, int from)
    {
        for (var search = from; search < input.Length;)
        {
            var found = input.AsSpan(search).IndexOfAny(AssignmentWords);
            if (found < 0)
            {
                return null;
            }

            var runStart = search + found;
            while (runStart > from && KeyChars.Contains(input[runStart - 1]))
            {
                runStart--;
            }

            var runEnd = input.AsSpan(search + found).IndexOfAnyExcept(KeyChars) is var e and >= 0 ? search + found + e : input.Length;
            if (AssignmentIn(input, from, runStart, runEnd) is { } hit)
            {
                return hit;
            }

            search = runEnd;
        }

        return null;
    }

    private static Hit? AssignmentIn(string input, int from, int runStart, int runEnd)
    {
        var name = SecretNameSuffix(input.AsSpan(runStart, runEnd - runStart));
        if (name < 0)
        {
            return null;
        }

        var query = Place.None;
        var keyStart = -1;
        if (runStart - 1 >= from && input[runStart - 1] is '?' or '&' && IsBoundary(input, runStart))
        {
            query = new Place(runStart - 1, 1);
            keyStart = runStart;
        }
        else
        {
            for (var at = runStart; at <= runEnd - name; at++)
            {
                if (IsBoundary(input, at))
                {
                    keyStart = at;
                    break;
                }
            }
        }

        if (keyStart < 0)
        {
            return null;
        }

        var separator = runEnd < input.Length && input[runEnd] is '"' or '\'' ? runEnd + 1 : runEnd;
        separator = SkipBlanks(input, separator);
        if (separator >= input.Length || input[separator] is not (':' or '='))
        {
            return null;
        }

        var value = SkipBlanks(input, separator + 1);
        var start = query.Success ? query.Index : keyStart;
        var key = new Place(keyStart, runEnd - keyStart);

        // (?:(?:lib\.)?mk[A-Za-z]+[ \t]+(?:[0-9]+[ \t]+)?)? before the value: with its number, without
        // it, then without the wrapper, as the pattern tries them.
        var mk = AsciiWordAt(input, value, "lib.") ? value + 4 : value;
        if (AsciiWordAt(input, mk, "mk"))
        {
            var letters = mk + 2;
            while (letters < input.Length && char.IsAsciiLetter(input[letters]))
            {
                letters++;
            }

            if (letters > mk + 2 && IsBlankAt(input, letters))
            {
                var afterWord = SkipBlanks(input, letters);
                var digits = afterWord;
                while (digits < input.Length && char.IsAsciiDigit(input[digits]))
                {
                    digits++;
                }

                if (digits > afterWord && IsBlankAt(input, digits) && AssignedValueAt(input, start, query, key, SkipBlanks(input, digits)) is { } withNumber)
                {
                    return withNumber;
                }

                if (AssignedValueAt(input, start, query, key, afterWord) is { } wrapped)
                {
                    return wrapped;
                }
            }
        }

        return AssignedValueAt(input, start, query, key, value);
    }

    private static Hit? AssignedValueAt(string input, int start, Place query, Place key, int at)
    {
        if (at >= input.Length)
        {
            return null;
        }

        var c = input[at];
        if (c is '"' or '\'')
        {
            var (dq, sq, end) = QuotedAt(input, at);
            return end < 0 ? null : new Hit(start, end - start, Place.None, query, key, dq, sq, Place.None, Place.None);
        }

        if (char.IsWhiteSpace(c) || c is '`' or ';' or ',' or '{' or '}' or '[' or ']' or '(' or ')')
        {
            return null;
        }

        var stop = input.AsSpan(at + 1).IndexOfAny("\r\n;,}") is var s and >= 0 ? at + 1 + s : input.Length;
        return new Hit(start, stop - start, Place.None, query, key, Place.None, Place.None, new Place(at, stop - at), Place.None);
    }

    /// <summary>
    /// The length of the shortest of <see cref="SecretName"/>'s names that <paramref name="key"/>
    /// ends with (letters in either case), or -1. A key starts anywhere before it: [A-Za-z0-9_.-]*
    /// takes the rest.
    /// </summary>
    private static int SecretNameSuffix(ReadOnlySpan<char> key)
    {
        var shortest = -1;
        void Take(int length) => shortest = shortest < 0 ? length : Math.Min(shortest, length);

        foreach (var plain in PlainSecretNames)
        {
            if (key.EndsWith(plain, StringComparison.OrdinalIgnoreCase))
            {
                Take(plain.Length);
            }
        }

        if (EndsWithWord(key, "tokens", out var before) && OwnerBefore(before, ["access"]) is var tokens and > 0)
        {
            Take(6 + tokens);
        }

        if (EndsWithWord(key, "base", out before) && EndsWithWord(WithoutSeparator(before), "key", out var beforeKey) && OwnerBefore(beforeKey, ["secret"]) is var secretKey and > 0)
        {
            Take(4 + (before.Length - WithoutSeparator(before).Length) + 3 + secretKey);
        }

        if (EndsWithWord(key, "key", out before) && OwnerBefore(before, KeyOwners) is var owned and > 0)
        {
            Take(3 + owned);
        }

        return shortest;
    }

    /// <summary>How long the shortest of <paramref name="owners"/> with its optional separator is at the end of <paramref name="before"/>, or 0.</summary>
    private static int OwnerBefore(ReadOnlySpan<char> before, string[] owners)
    {
        var bare = WithoutSeparator(before);
        var separator = before.Length - bare.Length;
        var shortest = 0;
        foreach (var owner in owners)
        {
            if (bare.EndsWith(owner, StringComparison.OrdinalIgnoreCase) && (shortest == 0 || owner.Length + separator < shortest))
            {
                shortest = owner.Length + separator;
            }
        }

        return shortest;
    }
}
