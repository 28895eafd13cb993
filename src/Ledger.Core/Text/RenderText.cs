using System.Globalization;
using System.Text;

namespace Ledger.Core.Text;

/// <summary>
/// The one place that makes recorded text inert in rendered files (change docs, the index, the
/// monthly report in Markdown, HTML and JSON). Commit messages, purposes, notes, alert labels and
/// annotations are written by others: whatever they hold must come out as readable text, never as
/// a terminal escape sequence, a bidi reordering, a Markdown heading, link, table cell or code
/// fence, or an HTML tag. Nothing is deleted: control characters become visible stand-ins and
/// syntax is escaped, so the doc still says what was recorded.
/// </summary>
public static class RenderText
{
    /// <summary>
    /// A visible stand-in for a control character: C0 controls and DEL become their Unicode
    /// "control pictures" (ESC shows as ␛), C1 controls and bidi controls become <c>[U+XXXX]</c>.
    /// </summary>
    public static string Visible(char c) => c switch
    {
        < '\u0020' => ((char)(0x2400 + c)).ToString(),
        '\u007F' => "\u2421",
        _ => string.Create(CultureInfo.InvariantCulture, $"[U+{(int)c:X4}]"),
    };

    /// <summary>
    /// Text with every control character (<see cref="TerminalText.IsUnsafe"/>) made visible. With
    /// <paramref name="keepLineBreaks"/>, CR LF and CR become LF and line breaks stay; a tab becomes
    /// a space either way.
    /// </summary>
    public static string Inert(string? text, bool keepLineBreaks = true)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var b = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && keepLineBreaks)
            {
                b.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (c == '\n' && keepLineBreaks)
            {
                b.Append('\n');
            }
            else if (c == '\t')
            {
                b.Append(' ');
            }
            else if (TerminalText.IsUnsafe(c))
            {
                b.Append(Visible(c));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    /// <summary>
    /// Markdown text that reads back as the recorded text: control characters made visible, Markdown
    /// syntax backslash-escaped (emphasis, links and images, code, raw HTML, table pipes, entity
    /// references), and a line-leading heading, list, quote, rule or fence marker neutralised. Line
    /// breaks stay (use <see cref="IndentContinuation"/> inside list items).
    /// </summary>
    public static string Markdown(string? text)
    {
        var inert = Inert(text);
        var sb = new StringBuilder(inert.Length + 8);
        var lineStart = true;
        for (int i = 0; i < inert.Length; i++)
        {
            var c = inert[i];
            if (c == '\n')
            {
                sb.Append('\n');
                lineStart = true;
                continue;
            }

            if (MarkdownSpecial.Contains(c, StringComparison.Ordinal)
                || (lineStart && c is '-' or '+' or '=' or '#' or '>' or '~')
                || (c == '&' && i + 1 < inert.Length && (inert[i + 1] == '#' || char.IsAsciiLetter(inert[i + 1])))
                || (c is '.' or ')' && StartsWithOrderedListNumber(sb)))
            {
                sb.Append('\\');
            }

            sb.Append(c);
            lineStart = lineStart && c == ' ';
        }

        return sb.ToString();
    }

    /// <summary><see cref="Markdown"/> on one line: line breaks become spaces (a heading, a table cell, a link text).</summary>
    public static string MarkdownLine(string? text) => Markdown(Inert(text, keepLineBreaks: false).Replace('\u240A', ' ').Replace('\u240D', ' '));

    /// <summary>
    /// A Markdown code span holding <paramref name="text"/> (made inert, on one line): the fence is
    /// one backtick longer than the longest run of backticks inside, so nothing can close it early.
    /// </summary>
    public static string MarkdownCode(string? text)
    {
        var inert = Inert(text, keepLineBreaks: false);
        var longest = 0;
        var run = 0;
        foreach (var c in inert)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = inert.StartsWith('`') || inert.EndsWith('`') ? " " : "";
        return fence + pad + inert + pad + fence;
    }

    /// <summary>Indents every line after the first by <paramref name="spaces"/>, so multi-line text stays inside a list item.</summary>
    public static string IndentContinuation(string text, int spaces) =>
        text.Replace("\n", "\n" + new string(' ', spaces), StringComparison.Ordinal);

    /// <summary>HTML text: control characters made visible, then <c>&amp; &lt; &gt; " '</c> escaped.</summary>
    public static string Html(string? text)
    {
        var inert = Inert(text);
        var sb = new StringBuilder(inert.Length + 16);
        foreach (var c in inert)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>
    /// The last pass over a rendered Markdown or HTML file: any control character a template let
    /// through unfiltered is made visible (line breaks stay). Output without any is returned as is.
    /// </summary>
    public static string InertOutput(string rendered) => HasUnsafe(rendered, allowLineBreaks: true) ? Inert(rendered) : rendered;

    /// <summary>
    /// JSON with every control character that the serializer left raw, and <c>&lt;</c> and
    /// <c>&gt;</c>, written as <c>\uXXXX</c> escapes instead: the same JSON value, but no bidi
    /// override, C1 control or tag in the file (JSON pasted into a web page stays inert too).
    /// </summary>
    public static string InertJson(string json)
    {
        if (!HasUnsafe(json, allowLineBreaks: true) && json.AsSpan().IndexOfAny('<', '>') < 0)
        {
            return json;
        }

        var sb = new StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            // Outside strings JSON has only whitespace (\n, \r, \t, space), which stays; '<' and '>' occur only inside strings.
            if ((TerminalText.IsUnsafe(c) && c is not '\n' and not '\r' and not '\t') || c is '<' or '>')
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private const string MarkdownSpecial = "\\`*_[]<>|";

    private static bool HasUnsafe(string text, bool allowLineBreaks)
    {
        foreach (var c in text)
        {
            if (TerminalText.IsUnsafe(c) && !(allowLineBreaks && c is '\n'))
            {
                return true;
            }
        }

        return false;
    }

    // "12" so far on this line (after optional spaces): a following '.' or ')' would start an ordered list.
    private static bool StartsWithOrderedListNumber(StringBuilder sb)
    {
        int end = sb.Length;
        int start = end;
        while (start > 0 && char.IsAsciiDigit(sb[start - 1]))
        {
            start--;
        }

        if (start == end)
        {
            return false;
        }

        int lineStart = start;
        while (lineStart > 0 && sb[lineStart - 1] == ' ')
        {
            lineStart--;
        }

        return lineStart == 0 || sb[lineStart - 1] == '\n';
    }
}
