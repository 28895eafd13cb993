using System.Globalization;
using System.Text;

namespace Ledger.Core.Text;

/// <summary>
/// Makes recorded text safe to put on a terminal. Commit messages, purposes and command output are
/// written by others: an ESC or another control character in them must show as text, never act as
/// an escape sequence (clear the screen, retitle the window, hide lines).
/// </summary>
public static class TerminalText
{
    /// <summary>Shown in place of a control character: visible, one column wide, and inert.</summary>
    public const char Replacement = '\u2426'; // ␦ SYMBOL FOR SUBSTITUTE FORM TWO

    /// <summary>One line: control characters (line breaks included) become <see cref="Replacement"/>; a tab becomes a space.</summary>
    public static string Line(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!NeedsWork(text))
        {
            return text;
        }

        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            b.Append(c switch
            {
                '\t' or '\n' => ' ',
                '\r' => ' ',
                _ when IsUnsafe(c) => Replacement,
                _ => c,
            });
        }

        return b.ToString();
    }

    /// <summary>Several lines: split on line breaks (CR LF, LF or CR), tabs expanded to 4 columns, each line made safe.</summary>
    public static IReadOnlyList<string> Lines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        return lines.Select(l => Line(ExpandTabs(l))).ToArray();
    }

    /// <summary>
    /// Text for a terminal or a log that keeps its layout: line breaks (LF, and CR LF) and tabs stay,
    /// every other control character becomes a visible backslash escape (<see cref="Escape(char)"/>),
    /// so <c>ESC [2J</c> prints as <c>\e[2J</c> and a bidi override as <c>\u202E</c>. Nothing is
    /// deleted: what was recorded can still be read.
    /// </summary>
    public static string Escape(string? text) => Escape(text, keepLayout: true);

    /// <summary>As <see cref="Escape(string?)"/>, on one line: line breaks and tabs are escaped too (<c>\n</c>, <c>\t</c>), so a value cannot start a forged line of a log.</summary>
    public static string EscapeLine(string? text) => Escape(text, keepLayout: false);

    /// <summary>
    /// The visible form of one control character: <c>\e</c> (ESC), <c>\a</c> (BEL), <c>\b</c>,
    /// <c>\t</c>, <c>\n</c>, <c>\f</c>, <c>\r</c>, else <c>\uXXXX</c>. All but <c>\e</c> and
    /// <c>\a</c> are JSON escapes as well, so a JSON string passed through stays valid.
    /// </summary>
    public static string Escape(char c) => c switch
    {
        '\u001B' => "\\e",
        '\a' => "\\a",
        '\b' => "\\b",
        '\t' => "\\t",
        '\n' => "\\n",
        '\f' => "\\f",
        '\r' => "\\r",
        _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
    };

    /// <summary>
    /// Whether a character may act on a terminal: C0 controls, DEL, C1 controls (0x9B is a one-byte
    /// CSI on some terminals), and the bidirectional controls that reorder what is shown: the
    /// embeddings and overrides (U+202A-U+202E), the isolates (U+2066-U+2069) and the marks
    /// (U+200E, U+200F, U+061C).
    /// </summary>
    public static bool IsUnsafe(char c) =>
        c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
        || c is '\u200E' or '\u200F' or '\u061C';

    private static string Escape(string? text, bool keepLayout)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!NeedsWork(text))
        {
            return text;
        }

        var b = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var kept = keepLayout && (c is '\n' or '\t' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'));
            if (kept || !IsUnsafe(c))
            {
                b.Append(c);
            }
            else
            {
                b.Append(Escape(c));
            }
        }

        return b.ToString();
    }

    private static bool NeedsWork(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string ExpandTabs(string line)
    {
        if (!line.Contains('\t', StringComparison.Ordinal))
        {
            return line;
        }

        var b = new StringBuilder(line.Length + 8);
        foreach (var c in line)
        {
            if (c == '\t')
            {
                b.Append(' ', 4 - (b.Length % 4));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }
}
