namespace Ledger.Core.Text;

// The assignment (name = value in every syntax), found by hand (Redactor.Hits.cs says how the
// scanners stand to the rules' patterns).
public sealed partial class Redactor
{
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
            return QuotedValue(input, start, query, key, at);
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
