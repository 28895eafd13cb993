using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// How the rules run over a text: whole, or only on the lines that can hold a match; built ahead;
// and the cheap checks that decide whether a rule runs at all.
public sealed partial class Redactor
{
    /// <summary>
    /// Where the line that holds each of a run of increasing indexes starts, the text between them
    /// searched once: looking back from each to its line's start made a long line of matches (a
    /// minified file) take quadratic time.
    /// </summary>
    private struct LineStarts
    {
        private int _start;
        private int _looked;

        public int Of(string text, int index)
        {
            if (index > _looked && text.LastIndexOf('\n', index - 1, index - _looked) is >= 0 and var lastBreak)
            {
                _start = lastBreak + 1;
            }

            _looked = Math.Max(_looked, index);
            return _start;
        }
    }

    private static string Replace(Regex regex, string input, Func<string, Match, string> evaluator) => regex.Replace(input, m => evaluator(input, m));

    private static string Replace(LazyRule rule, string input, Func<string, Match, string> evaluator) => Replace(rule.Regex, input, evaluator);

    /// <summary>
    /// The same, with the lines chosen by <paramref name="nextHit"/>: where from a given index on the
    /// next place that a match could hold lies, or -1. A line without one is left as it is.
    /// </summary>
    private static string ReplaceInLines(LazyRule rule, string input, Func<string, int, int> nextHit, Func<string, Match, string> evaluator) =>
        ReplaceInLines(input, nextHit, segment => Replace(rule, segment, evaluator));

    /// <summary>The same, with each run of lines replaced by <paramref name="replace"/>.</summary>
    private static string ReplaceInLines(string input, Func<string, int, int> nextHit, Func<string, string> replace)
    {
        StringBuilder? sb = null;
        var done = 0; // input[..done] is in sb
        var hit = nextHit(input, 0);
        while (hit >= 0)
        {
            var start = hit == 0 ? 0 : input.LastIndexOf('\n', hit - 1) + 1;
            var end = LineEnd(input, hit);

            // Further lines with a hit join the run: one regex call for them together. The hit
            // found past the run is where the next run starts (searched for once).
            hit = -1;
            while (end < input.Length)
            {
                var next = nextHit(input, end);
                if (next < 0)
                {
                    break;
                }

                if (input.AsSpan(end, next - end).Contains('\n'))
                {
                    hit = next;
                    break;
                }

                end = LineEnd(input, next);
            }

            var segment = input[start..end];
            var replaced = replace(segment);
            if (!string.Equals(replaced, segment, StringComparison.Ordinal))
            {
                sb ??= new StringBuilder(input.Length + 64);
                sb.Append(input, done, start - done).Append(replaced);
                done = end;
            }
        }

        return sb is null ? input : sb.Append(input, done, input.Length - done).ToString();
    }

    /// <summary>The index just after the line break that ends the line holding <paramref name="at"/> (or the text's length).</summary>
    private static int LineEnd(string input, int at)
    {
        var newline = input.IndexOf('\n', at);
        return newline < 0 ? input.Length : newline + 1;
    }

    /// <summary>How many built-in rules are built (tests check which texts build which).</summary>
    internal static int BuiltRules => LazyRule.All.Count(r => r.IsBuilt);

    // ---- Cheap prefilters ---------------------------------------------------------------------

    /// <summary>
    /// Where, from <paramref name="from"/> on, a token word stands where a token could hold it, or
    /// -1. A word that starts its match needs a word boundary before it, so one right after an
    /// ASCII letter, digit or underscore ("disk-", "network_", a base64 run holding "A3T") cannot
    /// start a token; anything else (the text's start, punctuation, any non-ASCII character) can.
    /// Most NixOS histories then never build a token rule.
    /// </summary>
    private static int NextTokenWord(string text, int from)
    {
        while (from < text.Length)
        {
            var found = text.AsSpan(from).IndexOfAny(TokenWords);
            if (found < 0)
            {
                return -1;
            }

            var at = from + found;
            if (at == 0 || !IsAsciiWordChar(text[at - 1]) || StartsWithAny(text.AsSpan(at), TokenWordsInside))
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }

    private static bool IsAsciiWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool StartsWithAny(ReadOnlySpan<char> text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.StartsWith(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The token rule of every family at once, run over the whole text without looking for its words first (tests compare).</summary>
    internal static string TokenShapesEverywhere(string text) => Replace(KnownTokenShapesRule, text, TokenValue);

    /// <summary>The token rules as <see cref="Redact"/> runs them: on the lines where a token word can start or sit inside a token, each family's where the lines hold its words.</summary>
    internal static string TokenShapesWhereTheirWordsAre(string text) =>
        NextTokenWord(text, 0) >= 0 ? ReplaceInLines(text, NextTokenWord, ReplaceTokens) : text;

    /// <summary>What a line of a key's body is made of after its diff prefix and indentation (<see cref="ArmouredBodyRule"/>).</summary>
    private static readonly SearchValues<char> KeyBodyChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>
    /// Whether two lines in a row of the text's body-shaped lines (up to two of '+', '-' and ' ',
    /// blanks, base64, blanks: what <see cref="ArmouredBodyRule"/> takes as a key's body) are
    /// key-width: <see cref="MinKeyLine"/> long or longer without the blanks around them. Without an
    /// END line, the body rule changes nothing with fewer (<see cref="ArmouredBodyValue"/>). A sops
    /// value, a lock file's hash or a long word in a sentence is on no such line.
    /// </summary>
    private static bool HasKeyWidthLines(string text)
    {
        var wide = 0;
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var line = text.AsSpan(start, (newline < 0 ? text.Length : newline) - start);
            if (!IsKeyBodyLine(line))
            {
                wide = 0;
            }
            else if (line.Trim().Length >= MinKeyLine && ++wide == 2)
            {
                return true;
            }

            if (newline < 0)
            {
                return false;
            }

            start = newline + 1;
        }

        return false;
    }

    /// <summary>
    /// Whether a line (without its '\n') has the shape of a key's body line, as the body rule
    /// reads one: up to two of '+', '-' and ' ', blanks, base64, blanks, perhaps '\r'.
    /// </summary>
    private static bool IsKeyBodyLine(ReadOnlySpan<char> line)
    {
        // A '+' may be the diff's prefix or the base64's first character: each split is tried.
        for (var prefix = 0; prefix <= 2 && prefix <= line.Length; prefix++)
        {
            if (prefix > 0 && line[prefix - 1] is not ('+' or '-' or ' '))
            {
                break;
            }

            var rest = line[prefix..].TrimStart(" \t");
            var run = rest.IndexOfAnyExcept(KeyBodyChars);
            if (run != 0 && !rest.IsEmpty && (run < 0 || rest[run..].TrimStart(" \t") is "" or "\r"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a nix signing key's secret is made of before its "==".</summary>
    private static readonly SearchValues<char> Base64WithoutPadding = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    /// <summary>
    /// Whether the text holds what a nix secret key's content needs to be redacted: '-', digits,
    /// ':', then 86 base64 characters and "==" (<see cref="NixSigningKeyRule"/> replaces only a
    /// secret of 88 characters).
    /// </summary>
    private static bool HasNixSigningKeyShape(string text)
    {
        const int Body = 86;
        for (var colon = text.IndexOf(':'); colon >= 0; colon = text.IndexOf(':', colon + 1))
        {
            var digits = colon;
            while (digits > 0 && char.IsAsciiDigit(text[digits - 1]))
            {
                digits--;
            }

            if (digits == colon || digits == 0 || text[digits - 1] != '-' || text.Length - colon - 1 < Body + 2)
            {
                continue;
            }

            var run = text.AsSpan(colon + 1).IndexOfAnyExcept(Base64WithoutPadding);
            if (run == Body && text.AsSpan(colon + 1 + Body).StartsWith("=="))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A word a prefilter looks for. Through SearchValues: string.IndexOf with OrdinalIgnoreCase
    /// compares one character at a time (under invariant globalization), and these run over every
    /// diff of an import. A match is as long as the word (ordinal folding maps one UTF-16 unit onto one).
    /// </summary>
    private sealed class Word(string text, StringComparison comparison)
    {
        public SearchValues<string> Values { get; } = SearchValues.Create([text], comparison);

        public int Length => text.Length;
    }

    private static readonly Word PasswordWord = new("password", StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> IdentifiedWord = new Word("identified", StringComparison.OrdinalIgnoreCase).Values;

    /// <summary>
    /// Whether the text holds "password" (in any case), then spaces or tabs, then a quote: where
    /// SQL's PASSWORD 'x' can match (any number of blanks, as the rule allows).
    /// </summary>
    private static bool HasSqlPassword(ReadOnlySpan<char> s) => HasAfterBlanks(s, PasswordWord, minBlanks: 1, "'");

    /// <summary>Whether <paramref name="word"/> stands somewhere followed by at least <paramref name="minBlanks"/> spaces or tabs and then one of <paramref name="next"/>.</summary>
    private static bool HasAfterBlanks(ReadOnlySpan<char> s, Word word, int minBlanks, string next)
    {
        while (true)
        {
            var at = s.IndexOfAny(word.Values);
            if (at < 0)
            {
                return false;
            }

            s = s[(at + word.Length)..];
            if (s.IndexOfAnyExcept(' ', '\t') is var after and >= 0 && after >= minBlanks && next.Contains(s[after], StringComparison.Ordinal))
            {
                return true;
            }
        }
    }

    /// <summary>Where, from <paramref name="from"/> on, ":digits:" (one to five) or ":*:" stands (a .pgpass port field), or -1.</summary>
    private static int NextPortField(string text, int from)
    {
        for (var colon = text.IndexOf(':', from); colon >= 0; colon = text.IndexOf(':', colon + 1))
        {
            var digits = 0;
            while (colon + 1 + digits < text.Length && digits <= 5 && char.IsAsciiDigit(text[colon + 1 + digits]))
            {
                digits++;
            }

            var after = colon + 1 + digits;
            if ((digits is > 0 and <= 5 && after < text.Length && text[after] == ':') || text.AsSpan(colon + 1).StartsWith("*:"))
            {
                return colon;
            }
        }

        return -1;
    }
}
