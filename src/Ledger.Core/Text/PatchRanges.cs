using Ledger.Core.Events;

namespace Ledger.Core.Text;

/// <summary>Reads changed line ranges out of a unified diff.</summary>
public static class PatchRanges
{
    /// <summary>
    /// The new-side lines that a unified diff adds, merged into inclusive ranges. A hunk header
    /// (<c>@@ -a,b +c,d @@</c>) gives the first new-side line and how many old and new lines the
    /// hunk holds; context lines advance the new side, removed lines do not. Anything after a hunk's
    /// counts are used up (the next file's <c>---</c>/<c>+++</c> header) is not part of it.
    /// </summary>
    public static IReadOnlyList<LineRange> AddedRanges(string patch)
    {
        var ranges = new List<LineRange>();
        int newLine = 0, oldLeft = 0, newLeft = 0;
        int? start = null;
        int end = 0;

        void Close()
        {
            if (start is { } s)
            {
                ranges.Add(new LineRange(s, end));
                start = null;
            }
        }

        var rest = patch.AsSpan();
        while (NextLine(ref rest, out var line))
        {
            if (oldLeft <= 0 && newLeft <= 0)
            {
                if (line.StartsWith("@@", StringComparison.Ordinal) && TryParseHeader(line, out newLine, out oldLeft, out newLeft))
                {
                    Close();
                }

                continue;
            }

            var marker = line.IsEmpty ? ' ' : line[0];
            switch (marker)
            {
                case '+':
                    start ??= newLine;
                    end = newLine;
                    newLine++;
                    newLeft--;
                    break;
                case '-':
                    oldLeft--;
                    break;
                case '\\':
                    // "\ No newline at end of file"
                    break;
                default:
                    // Context (an empty line is context whose leading space was stripped).
                    Close();
                    newLine++;
                    oldLeft--;
                    newLeft--;
                    break;
            }
        }

        Close();
        return Merge(ranges);
    }

    private static List<LineRange> Merge(List<LineRange> ranges)
    {
        var merged = new List<LineRange>(ranges.Count);
        foreach (var r in ranges)
        {
            if (merged.Count > 0 && merged[^1].End + 1 >= r.Start)
            {
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, r.End) };
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged;
    }

    /// <summary>Parses "@@ -a[,b] +c[,d] @@ ..."; a missing count means 1.</summary>
    private static bool TryParseHeader(ReadOnlySpan<char> header, out int newStart, out int oldCount, out int newCount)
    {
        newStart = oldCount = newCount = 0;
        int i = 2;
        while (i < header.Length && header[i] == ' ')
        {
            i++;
        }

        if (i >= header.Length || header[i] != '-')
        {
            return false;
        }

        i++;
        if (!TryNumber(header, ref i, out _))
        {
            return false;
        }

        oldCount = TryCount(header, ref i);
        while (i < header.Length && header[i] == ' ')
        {
            i++;
        }

        if (i >= header.Length || header[i] != '+')
        {
            return false;
        }

        i++;
        if (!TryNumber(header, ref i, out newStart))
        {
            return false;
        }

        newCount = TryCount(header, ref i);
        return true;
    }

    private static int TryCount(ReadOnlySpan<char> s, ref int i)
    {
        if (i < s.Length && s[i] == ',')
        {
            i++;
            return TryNumber(s, ref i, out var n) ? n : 1;
        }

        return 1;
    }

    private static bool TryNumber(ReadOnlySpan<char> s, ref int i, out int value)
    {
        value = 0;
        int begin = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            value = checked((value * 10) + (s[i] - '0'));
            i++;
        }

        return i > begin;
    }

    /// <summary>
    /// The next line of <paramref name="rest"/>, without its "\n" or "\r\n", and what follows it
    /// (no empty line after a final break). git ends patch lines with "\n": a lone "\r" is content.
    /// </summary>
    private static bool NextLine(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> line)
    {
        if (rest.IsEmpty)
        {
            line = default;
            return false;
        }

        var end = rest.IndexOf('\n');
        line = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[(end + 1)..];
        if (line.EndsWith('\r'))
        {
            line = line[..^1];
        }

        return true;
    }
}
