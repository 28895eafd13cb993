using System.Text;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// Lists the options a NixOS module declares under <c>options.services.ledger</c>, without Nix.
/// </summary>
/// <remarks>
/// A deliberately small reader, not a Nix parser. It finds <c>options.services.ledger = {</c> and
/// walks that block token by token, skipping comments and strings (<c>"..."</c> and
/// <c>''...''</c>, so braces inside them do not count):
/// <list type="bullet">
/// <item><c>NAME = {</c> opens a named level (<c>database = {</c>); any other <c>{</c> opens an
/// unnamed one (<c>types.submodule {</c>, a lambda's pattern); <c>}</c> closes the innermost.</item>
/// <item><c>NAME = mkOption</c>, <c>mkEnableOption</c> or <c>mkPackageOption</c> (with or without
/// <c>lib.</c>) declares an option: its path is the named levels around it, then NAME. NAME may
/// be dotted (<c>storage.mounts = mkOption</c>).</item>
/// <item>Inside an option, the <c>options = {</c> level of a submodule that is an element type
/// (after <c>listOf</c> or <c>attrsOf</c> in the option's type) is written <c>*</c>:
/// <c>storage.mounts.*.path</c>, as the NixOS manual names options of list and attribute-set
/// elements. A plain submodule's options are named through it: <c>webhook.settings.grafana.url</c>.</item>
/// </list>
/// Declarations it would miss: options built by functions (<c>genAttrs</c>, <c>mapAttrs</c>) or
/// bound with <c>inherit</c>. module.nix writes every option out, so the list is complete.
/// </remarks>
public static class NixOptionPaths
{
    private const string Block = "options.services.ledger";

    private static readonly HashSet<string> Declarations = new(StringComparer.Ordinal)
    {
        "mkOption", "mkEnableOption", "mkPackageOption", "lib.mkOption", "lib.mkEnableOption", "lib.mkPackageOption",
    };

    /// <summary>Option paths relative to <c>services.ledger</c>, in the order they are declared.</summary>
    public static IReadOnlyList<string> Read(string module)
    {
        var tokens = Tokenize(module);
        var start = FindBlock(tokens);
        var frames = new Stack<Frame>();
        var found = new List<string>();
        string? pending = null;
        var collection = false; // listOf or attrsOf seen since the last option declaration
        for (var i = start; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t == "{")
            {
                frames.Push(new Frame(pending, IsOption: false, Element: pending is null && collection));
                pending = null;
            }
            else if (t == "}")
            {
                if (frames.Count == 0)
                {
                    break; // the end of options.services.ledger
                }

                frames.Pop();
                pending = null;
            }
            else if (i + 1 < tokens.Count && tokens[i + 1] == "=" && IsIdentifier(t))
            {
                pending = t;
                i++; // the "="
            }
            else if (pending is not null && Declarations.Contains(t))
            {
                found.Add(PathOf(frames, pending));
                collection = false;
                if (i + 1 < tokens.Count && tokens[i + 1] == "{")
                {
                    frames.Push(new Frame(pending, IsOption: true, Element: false));
                    i++;
                }

                pending = null;
            }
            else
            {
                collection |= t.EndsWith("listOf", StringComparison.Ordinal) || t.EndsWith("attrsOf", StringComparison.Ordinal);
                pending = null;
            }
        }

        return found;
    }

    private static string PathOf(Stack<Frame> frames, string name)
    {
        var parts = new List<string>();
        var insideOption = false;
        var element = false; // the innermost unnamed level is a list or attribute-set element
        foreach (var f in frames.Reverse()) // a Stack enumerates innermost first
        {
            if (f.Name is null)
            {
                element = f.Element;
                continue;
            }

            if (Segment(f.Name, insideOption, element) is { } segment)
            {
                parts.Add(segment);
            }

            insideOption |= f.IsOption;
        }

        parts.Add(Segment(name, insideOption, element)!);
        return string.Join('.', parts);
    }

    // A submodule's `options` level inside an option: `*` for an element, nothing for a plain
    // submodule; `options.x` (the level and a name in one) likewise.
    private static string? Segment(string name, bool insideOption, bool element) =>
        !insideOption ? name
        : name == "options" ? (element ? "*" : null)
        : name.StartsWith("options.", StringComparison.Ordinal) ? (element ? "*." : "") + name["options.".Length..]
        : name;

    private static int FindBlock(List<string> tokens)
    {
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (tokens[i] == Block && tokens[i + 1] == "=" && tokens[i + 2] == "{")
            {
                return i + 3;
            }
        }

        throw new InvalidOperationException($"No '{Block} = {{' in the module.");
    }

    private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_');

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                i = text.IndexOf('\n', i) is var end and >= 0 ? end : text.Length;
            }
            else if (c == '/' && At(text, i, "/*"))
            {
                i = text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end and >= 0 ? end + 2 : text.Length;
            }
            else if (c == '"')
            {
                i = SkipString(text, i + 1);
                tokens.Add("\"\"");
            }
            else if (At(text, i, "''"))
            {
                i = SkipIndentedString(text, i + 2);
                tokens.Add("''");
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var word = new StringBuilder();
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '\'' or '.'))
                {
                    word.Append(text[i]);
                    i++;
                }

                tokens.Add(word.ToString().TrimEnd('.'));
            }
            else
            {
                tokens.Add(c.ToString());
                i++;
            }
        }

        return tokens;
    }

    // "..." with backslash escapes; ${...} inside is skipped with the string.
    private static int SkipString(string text, int i)
    {
        while (i < text.Length && text[i] != '"')
        {
            i += text[i] == '\\' ? 2 : 1;
        }

        return i + 1;
    }

    // ''...'' where ''' , ''$ and ''\x are escapes, not the end.
    private static int SkipIndentedString(string text, int i)
    {
        while (i < text.Length)
        {
            if (At(text, i, "''"))
            {
                if (i + 2 < text.Length && text[i + 2] is '\'' or '$')
                {
                    i += 3;
                    continue;
                }

                if (i + 2 < text.Length && text[i + 2] == '\\')
                {
                    i += 4;
                    continue;
                }

                return i + 2;
            }

            i++;
        }

        return i;
    }

    private static bool At(string text, int i, string s) => string.CompareOrdinal(text, i, s, 0, s.Length) == 0;

    private sealed record Frame(string? Name, bool IsOption, bool Element);
}
