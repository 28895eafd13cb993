using Ledger.Core.Events;

namespace Ledger.Core.Text;

/// <summary>Reads changed line ranges out of a unified diff.</summary>
public static class PatchRanges
{
    /// <summary>
    /// The new-side lines that a unified diff adds, merged into inclusive ranges. Hunk headers
    /// (<c>@@ -a,b +c,d @@</c>) give the starting line; context lines advance it; removed lines do not.
    /// </summary>
    public static IReadOnlyList<LineRange> AddedRanges(string patch)
    {
        var ranges = new List<LineRange>();
        int newLine = 0;
        bool inHunk = false;
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

        foreach (var line in EnumerateLines(patch))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                Close();
                inHunk = TryParseNewStart(line, out newLine);
                continue;
            }

            if (!inHunk || line.Length == 0)
            {
                if (inHunk && line.Length == 0)
                {
                    // An empty line inside a hunk is a context line whose leading space was stripped.
                    Close();
                    newLine++;
                }

                continue;
            }

            switch (line[0])
            {
                case '+':
                    if (start is null)
                    {
                        start = newLine;
                    }

                    end = newLine;
                    newLine++;
                    break;
                case '-':
                    break;
                case '\\':
                    // "\ No newline at end of file"
                    break;
                case ' ':
                    Close();
                    newLine++;
                    break;
                default:
                    // Not part of the hunk any more: the next file header or trailing text.
                    Close();
                    inHunk = false;
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

    private static bool TryParseNewStart(string header, out int newStart)
    {
        newStart = 0;
        var plus = header.IndexOf(" +", 2, StringComparison.Ordinal);
        if (plus < 0)
        {
            return false;
        }

        int i = plus + 2;
        int value = 0;
        bool any = false;
        while (i < header.Length && char.IsAsciiDigit(header[i]))
        {
            value = checked((value * 10) + (header[i] - '0'));
            any = true;
            i++;
        }

        newStart = value;
        return any;
    }

    private static IEnumerable<string> EnumerateLines(string text)
    {
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
