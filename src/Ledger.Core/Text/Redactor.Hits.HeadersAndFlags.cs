using System.Buffers;

namespace Ledger.Core.Text;

// The Authorization header and the command-line flag, found by hand (Redactor.Hits.cs says how
// the scanners stand to the rules' patterns).
public sealed partial class Redactor
{
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
            return QuotedValue(input, start, Place.None, Place.None, at);
        }

        var stop = at;
        while (stop < input.Length && input[stop] is not ('"' or '\'' or '`' or ';' or '|' or '&' or ')') && !char.IsWhiteSpace(input[stop]))
        {
            stop++;
        }

        return stop == at ? null : new Hit(start, stop - start, Place.None, Place.None, Place.None, Place.None, Place.None, new Place(at, stop - at), Place.None);
    }
}
