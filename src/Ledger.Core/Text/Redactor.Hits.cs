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

    /// <summary>The match from <paramref name="start"/> whose value is the quoted one at <paramref name="at"/>, or null when it is not closed.</summary>
    private static Hit? QuotedValue(string input, int start, Place query, Place key, int at)
    {
        var (dq, sq, end) = QuotedAt(input, at);
        return end < 0 ? null : new Hit(start, end - start, Place.None, query, key, dq, sq, Place.None, Place.None);
    }
}
