using System.Text;

namespace Ledger.Cli.Projections;

/// <summary>
/// Text from events put into Markdown so that it reads back as the same text: characters that
/// Markdown would take as syntax are backslash-escaped, and code spans use a long enough fence.
/// </summary>
internal static class MarkdownText
{
    private const string Special = "\\`*_[]<>|";

    /// <summary>Escapes Markdown syntax; line breaks stay, a leading list, heading or quote marker is neutralised.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        var lineStart = true;
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == '\n')
            {
                sb.Append('\n');
                lineStart = true;
                continue;
            }

            if (Special.Contains(c, StringComparison.Ordinal) || (lineStart && c is '-' or '+' or '=' or '#' or '>'))
            {
                sb.Append('\\');
            }

            sb.Append(c);
            lineStart = lineStart && c == ' ';
        }

        return sb.ToString();
    }

    /// <summary>A code span holding <paramref name="text"/> exactly.</summary>
    public static string Code(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : "";
        return fence + pad + text + pad + fence;
    }

    /// <summary>Indents every line after the first by <paramref name="spaces"/>, so multi-line text stays inside a list item.</summary>
    public static string IndentContinuation(string text, int spaces) =>
        text.Replace("\n", "\n" + new string(' ', spaces), StringComparison.Ordinal);
}
