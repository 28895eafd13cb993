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
        var tokens = Tokenize(flakeNix);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != TokenKind.Name || !Outputs.Contains(tokens[i].Text))
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
            if (t.Kind == TokenKind.Symbol && t.Text is "{" or "[" or "(")
            {
                depth++;
                statementStart = depth == 1;
                continue;
            }

            if (t.Kind == TokenKind.Symbol && t.Text is "}" or "]" or ")")
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

            if (statementStart && t.Kind == TokenKind.Name && t.Text == "inherit")
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

            statementStart = t.Kind == TokenKind.Symbol && t.Text == ";";
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

            if (tokens[i].Text is "{" or "[" or "(")
            {
                depth++;
            }
            else if (tokens[i].Text is "}" or "]" or ")" && --depth == 0)
            {
                return i;
            }
        }

        return tokens.Count;
    }

    private static bool At(List<Token> tokens, int i, string symbol) =>
        i < tokens.Count && tokens[i].Kind == TokenKind.Symbol && tokens[i].Text == symbol;

    private static bool IsAttrName(List<Token> tokens, int i) =>
        i < tokens.Count && (tokens[i].Kind == TokenKind.String || (tokens[i].Kind == TokenKind.Name && tokens[i].Text is not ("inherit" or "let" or "in" or "rec" or "with")));

    private enum TokenKind
    {
        Name,
        String,
        Symbol,
        Other,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    /// <summary>
    /// Names, plain strings (their text; an interpolated one is <see cref="TokenKind.Other"/>), and
    /// the symbols that matter here. Comments, indented strings and everything else are skipped.
    /// </summary>
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
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
                var (value, next, plain) = ReadString(text, i + 1);
                tokens.Add(new Token(plain ? TokenKind.String : TokenKind.Other, value));
                i = next;
            }
            else if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                i = SkipIndentedString(text, i + 2);
                tokens.Add(new Token(TokenKind.Other, ""));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '\''))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i]));
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                tokens.Add(new Token(TokenKind.Symbol, "{"));
                i += 2;
            }
            else
            {
                tokens.Add(new Token(c is '{' or '}' or '[' or ']' or '(' or ')' or '=' or ';' or '.' ? TokenKind.Symbol : TokenKind.Other, c.ToString()));
                i++;
            }
        }

        return tokens;
    }

    private static (string Value, int Next, bool Plain) ReadString(string text, int i)
    {
        var value = new System.Text.StringBuilder();
        bool plain = true;
        int depth = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (depth == 0 && c == '\\' && i + 1 < text.Length)
            {
                value.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (depth == 0 && c == '"')
            {
                return (value.ToString(), i + 1, plain);
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

            value.Append(c);
            i++;
        }

        return (value.ToString(), text.Length, plain);
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
