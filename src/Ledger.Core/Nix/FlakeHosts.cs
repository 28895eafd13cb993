namespace Ledger.Core.Nix;

/// <summary>
/// The host names a <c>flake.nix</c> declares: the attributes of <c>nixosConfigurations</c> (and
/// <c>darwinConfigurations</c>), written as <c>nixosConfigurations.NAME = ...</c> or as an attribute
/// set <c>nixosConfigurations = { NAME = ...; inherit (x) OTHER; }</c>. A set computed by a
/// function (<c>mapAttrs</c> over <c>readDir ./hosts</c>) names nothing here; the directory layout
/// then decides (<see cref="HostLayout"/>). This reads the text, it does not evaluate Nix.
/// </summary>
public static class FlakeHosts
{
    private static readonly string[] Outputs = ["nixosConfigurations", "darwinConfigurations"];

    public static IReadOnlySet<string> Names(string flakeNix)
    {
        // Names come only after one of the outputs' names: a flake without them is not read further.
        if (!Outputs.Any(o => flakeNix.Contains(o, StringComparison.Ordinal)))
        {
            return new SortedSet<string>(StringComparer.Ordinal);
        }

        var tokens = Tokenize(flakeNix);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != TokenKind.Name || !tokens[i].IsOneOf(Outputs))
            {
                continue;
            }

            if (At(tokens, i + 1, ".") && IsAttrName(tokens, i + 2))
            {
                names.Add(tokens[i + 2].Text);
            }
            else if (At(tokens, i + 1, "=") && At(tokens, i + 2, "{"))
            {
                AttributesOf(tokens, i + 2, names);
            }
        }

        return names;
    }

    /// <summary>The first segment of every attribute defined directly in the set that opens at <paramref name="open"/>.</summary>
    private static void AttributesOf(List<Token> tokens, int open, SortedSet<string> names)
    {
        int depth = 0;
        bool statementStart = false;
        for (int i = open; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.Symbol && t.Char is '{' or '[' or '(')
            {
                depth++;
                statementStart = depth == 1;
                continue;
            }

            if (t.Kind == TokenKind.Symbol && t.Char is '}' or ']' or ')')
            {
                if (--depth == 0)
                {
                    return;
                }

                continue;
            }

            if (depth != 1)
            {
                continue;
            }

            if (statementStart && t.Kind == TokenKind.Name && t.Is("inherit"))
            {
                int j = i + 1;
                if (At(tokens, j, "("))
                {
                    j = Closing(tokens, j) + 1;
                }

                for (; j < tokens.Count && !At(tokens, j, ";"); j++)
                {
                    if (IsAttrName(tokens, j))
                    {
                        names.Add(tokens[j].Text);
                    }
                }

                i = j;
                statementStart = true;
                continue;
            }

            if (statementStart && IsAttrName(tokens, i) && (At(tokens, i + 1, "=") || At(tokens, i + 1, ".")))
            {
                names.Add(t.Text);
            }

            statementStart = t.Kind == TokenKind.Symbol && t.Char == ';';
        }
    }

    private static int Closing(List<Token> tokens, int open)
    {
        int depth = 0;
        for (int i = open; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != TokenKind.Symbol)
            {
                continue;
            }

            if (tokens[i].Char is '{' or '[' or '(')
            {
                depth++;
            }
            else if (tokens[i].Char is '}' or ']' or ')' && --depth == 0)
            {
                return i;
            }
        }

        return tokens.Count;
    }

    private static bool At(List<Token> tokens, int i, string symbol) =>
        i < tokens.Count && tokens[i].Kind == TokenKind.Symbol && tokens[i].Is(symbol);

    private static bool IsAttrName(List<Token> tokens, int i) =>
        i < tokens.Count && (tokens[i].Kind == TokenKind.String || (tokens[i].Kind == TokenKind.Name && !tokens[i].IsOneOf(Keywords)));

    private static readonly string[] Keywords = ["inherit", "let", "in", "rec", "with"];

    private enum TokenKind
    {
        Name,
        String,
        Symbol,
        Other,
    }

    /// <summary>
    /// A token: where it stands in the text, and for a string with escapes its value. Nothing is
    /// made of it until a name is kept (a flake.nix is read again at every commit that changes it).
    /// </summary>
    private readonly record struct Token(TokenKind Kind, string Source, int Start, int Length, string? Value = null)
    {
        public ReadOnlySpan<char> Span => Value is { } value ? value : Source.AsSpan(Start, Length);

        public string Text => Value ?? Source.Substring(Start, Length);

        /// <summary>A symbol's character.</summary>
        public char Char => Length == 1 ? Source[Start] : '\0';

        public bool Is(string text) => Span.SequenceEqual(text);

        public bool IsOneOf(string[] texts)
        {
            foreach (var text in texts)
            {
                if (Is(text))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Names, plain strings (their text; an interpolated one is <see cref="TokenKind.Other"/>), and
    /// the symbols that matter here. Comments, indented strings and everything else are skipped.
    /// </summary>
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(text.Length / 8);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                i = text.IndexOf('\n', i) is var nl && nl < 0 ? text.Length : nl;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                i = text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end && end < 0 ? text.Length : end + 2;
            }
            else if (c == '"')
            {
                var (contentEnd, next, plain, escaped) = ScanString(text, i + 1);
                tokens.Add(!plain ? new Token(TokenKind.Other, text, i, 0)
                    : escaped ? new Token(TokenKind.String, text, i + 1, 0, ValueOfString(text, i + 1))
                    : new Token(TokenKind.String, text, i + 1, contentEnd - (i + 1)));
                i = next;
            }
            else if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                tokens.Add(new Token(TokenKind.Other, text, i, 0));
                i = SkipIndentedString(text, i + 2);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '\''))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text, start, i - start));
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                tokens.Add(new Token(TokenKind.Symbol, text, i + 1, 1));
                i += 2;
            }
            else
            {
                tokens.Add(new Token(c is '{' or '}' or '[' or ']' or '(' or ')' or '=' or ';' or '.' ? TokenKind.Symbol : TokenKind.Other, text, i, 1));
                i++;
            }
        }

        return tokens;
    }

    /// <summary>
    /// Reads a string that starts at <paramref name="i"/> (after its quote): where its content ends,
    /// the index after it, whether it is plain (no interpolation) and whether it holds an escape (its
    /// value is then not its text). Its value goes into <paramref name="value"/> when one is given.
    /// </summary>
    private static (int ContentEnd, int Next, bool Plain, bool Escaped) ScanString(string text, int i, System.Text.StringBuilder? value = null)
    {
        bool plain = true, escaped = false;
        int depth = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (depth == 0 && c == '\\' && i + 1 < text.Length)
            {
                escaped = true;
                value?.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (depth == 0 && c == '"')
            {
                return (i, i + 1, plain, escaped);
            }

            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                plain = false;
                depth++;
                i += 2;
                continue;
            }

            if (depth > 0 && c == '}')
            {
                depth--;
            }

            value?.Append(c);
            i++;
        }

        return (text.Length, text.Length, plain, escaped);
    }

    /// <summary>The value of a string with escapes (<see cref="ScanString"/>).</summary>
    private static string ValueOfString(string text, int i)
    {
        var value = new System.Text.StringBuilder();
        ScanString(text, i, value);
        return value.ToString();
    }

    private static int SkipIndentedString(string text, int i)
    {
        while (i < text.Length)
        {
            if (text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                // '' followed by $, ' or \ is an escape inside the string, not its end.
                if (i + 2 < text.Length && text[i + 2] is '$' or '\'' or '\\')
                {
                    i += 3;
                    continue;
                }

                return i + 2;
            }

            i++;
        }

        return text.Length;
    }
}
