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
    /// Whether a character may act on a terminal: C0 controls, DEL, C1 controls (0x9B is a one-byte
    /// CSI on some terminals) and the bidirectional overrides that reorder what is shown.
    /// </summary>
    public static bool IsUnsafe(char c) =>
        c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)
        || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

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
