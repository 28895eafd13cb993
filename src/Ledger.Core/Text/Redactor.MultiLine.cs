using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Core.Text;

// Secrets that span lines, part two: YAML block scalars and Nix multi-line strings under a
// secret name. Diff lines keep their '+', '-' or ' ' so that a changed secret still reads as a
// removed and an added line.
public sealed partial class Redactor
{
    private readonly record struct Line(int Start, int ContentStart, int End, int Next)
    {
        public char Prefix(string text) => ContentStart > Start ? text[Start] : '\0';
    }

    private static string RedactBlocks(string text)
    {
        var m = BlockHeaderRule.Regex.Match(text);
        if (!m.Success)
        {
            return text;
        }

        var diff = text.StartsWith("diff --git", StringComparison.Ordinal) || text.StartsWith("@@", StringComparison.Ordinal) || text.Contains("\n@@ ", StringComparison.Ordinal);
        var sb = new StringBuilder(text.Length);
        var pos = 0;
        var lines = default(LineStarts);
        while (m.Success)
        {
            var end = m.Index + m.Length;
            sb.Append(text, pos, end - pos);
            pos = end;
            if (!IsNotSecretName(m.Groups["key"].ValueSpan))
            {
                var keyLineStart = lines.Of(text, m.Index);
                var diffMode = diff || text[keyLineStart] is '+' or '-';
                pos = m.Groups["yaml"].Success
                    ? RedactYamlBlock(text, m.Groups["key"].Index, keyLineStart, end, diffMode, sb)
                    : RedactNixString(text, end, diffMode, sb);
            }

            m = pos < text.Length ? BlockHeaderRule.Regex.Match(text, pos) : Match.Empty;
        }

        sb.Append(text, pos, text.Length - pos);
        return sb.ToString();
    }

    private static Line ReadLine(string text, int start, bool diffMode)
    {
        var eol = text.IndexOf('\n', start);
        var next = eol < 0 ? text.Length : eol + 1;
        var end = eol < 0 ? text.Length : eol;
        if (end > start && text[end - 1] == '\r')
        {
            end--;
        }

        // '+' and '-' start a diff line wherever they stand (a YAML list dash at column 0 cannot
        // continue an indented block either way); ' ' only in a diff.
        var content = start < end && (text[start] is '+' or '-' || (diffMode && text[start] == ' ')) ? start + 1 : start;
        return new Line(start, content, end, next);
    }

    private static bool IsHunkBoundary(string text, Line line, bool diffMode) =>
        diffMode && (text.AsSpan(line.Start).StartsWith("@@") || text.AsSpan(line.Start).StartsWith("diff --git"));

    private static int RedactYamlBlock(string text, int keyIndex, int keyLineStart, int start, bool diffMode, StringBuilder sb)
    {
        var keyPrefix = text[keyLineStart] is '+' or '-' || (diffMode && text[keyLineStart] == ' ') ? 1 : 0;
        var keyColumn = keyIndex - keyLineStart - keyPrefix;
        var lines = new List<Line>();
        var contentLines = 0;
        var pos = start;
        while (pos < text.Length)
        {
            var line = ReadLine(text, pos, diffMode);
            if (IsHunkBoundary(text, line, diffMode))
            {
                break;
            }

            var content = text.AsSpan(line.ContentStart, line.End - line.ContentStart);
            var trimmed = content.TrimStart(" \t");
            if (!trimmed.IsEmpty)
            {
                if (content.Length - trimmed.Length <= keyColumn)
                {
                    break;
                }

                contentLines = lines.Count + 1;
            }

            lines.Add(line);
            pos = line.Next;
        }

        // Blank lines after the block belong to what follows it.
        return EmitBlock(text, lines.GetRange(0, contentLines), start, sb);
    }

    private static int RedactNixString(string text, int start, bool diffMode, StringBuilder sb)
    {
        if (start < text.Length && text[start] == '\'')
        {
            return start;
        }

        var close = FindNixStringEnd(text, start);

        // Whether the string closes on its own line is read up to the close only: a long line of
        // such strings is not searched to its end once per string.
        if (close >= 0 && !text.AsSpan(start, close - start).Contains('\n'))
        {
            // password = ''s3cret''; on one line.
            var value = text.AsSpan(start, close - start);
            if (value.Trim().IsEmpty || IsOnlyMarkers(value))
            {
                return start;
            }

            sb.Append(Fingerprint(value.ToString()));
            return close;
        }

        var firstBreak = text.IndexOf('\n', start);
        if (firstBreak < 0)
        {
            // Cut on the header line: the rest of the text is the value.
            var rest = text.AsSpan(start);
            if (rest.Trim().IsEmpty || IsOnlyMarkers(rest))
            {
                return start;
            }

            sb.Append(Fingerprint(rest.ToString()));
            return text.Length;
        }

        // Anything after '' on the header line belongs to the value too.
        var headerRest = text.AsSpan(start, firstBreak - start).Trim();
        if (!headerRest.IsEmpty && !IsOnlyMarkers(headerRest))
        {
            sb.Append(Fingerprint(text[start..firstBreak].TrimEnd('\r')));
            start = firstBreak - (text[firstBreak - 1] == '\r' ? 1 : 0);
            sb.Append(text, start, firstBreak + 1 - start);
        }
        else
        {
            sb.Append(text, start, firstBreak + 1 - start);
        }

        var lines = new List<Line>();
        var pos = firstBreak + 1;
        Line? closing = null;
        while (pos < text.Length)
        {
            var line = ReadLine(text, pos, diffMode);
            if (IsHunkBoundary(text, line, diffMode))
            {
                break;
            }

            if (close >= 0 && close < line.Next)
            {
                closing = line;
                break;
            }

            lines.Add(line);
            pos = line.Next;
        }

        pos = EmitBlock(text, lines, firstBreak + 1, sb);
        if (closing is { } last)
        {
            // "  s3cret'';": the part before the closing quotes is value too.
            var before = text.AsSpan(last.ContentStart, close - last.ContentStart);
            var trimmed = before.TrimStart(" \t");
            if (!trimmed.IsEmpty && !IsOnlyMarkers(trimmed))
            {
                var indentEnd = close - trimmed.Length;
                sb.Append(text, last.Start, indentEnd - last.Start).Append(Fingerprint(trimmed.ToString()));
                return close;
            }
        }

        return pos;
    }

    /// <summary>The closing '' of a Nix indented string, skipping its escapes ''' ''$ and ''\; -1 when the text ends first.</summary>
    private static int FindNixStringEnd(string text, int from)
    {
        var i = from;
        while ((i = text.IndexOf("''", i, StringComparison.Ordinal)) >= 0)
        {
            var after = i + 2 < text.Length ? text[i + 2] : '\0';
            if (after is '\'' or '$' or '\\')
            {
                i += 3;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>
    /// Writes the block's lines as one fingerprint line per run of lines with the same diff prefix
    /// (all of them when the text is not a diff), each keeping its prefix and indentation.
    /// Returns where the text after the block starts.
    /// </summary>
    private static int EmitBlock(string text, List<Line> lines, int start, StringBuilder sb)
    {
        if (lines.Count == 0)
        {
            return start;
        }

        var blockEnd = lines[^1].Next;
        var nonBlank = lines.Where(l => !text.AsSpan(l.ContentStart, l.End - l.ContentStart).Trim().IsEmpty).ToList();
        if (nonBlank.All(l => IsOnlyMarkers(text.AsSpan(l.ContentStart, l.End - l.ContentStart))))
        {
            sb.Append(text, start, blockEnd - start);
            return blockEnd;
        }

        var i = 0;
        while (i < nonBlank.Count)
        {
            var prefix = nonBlank[i].Prefix(text);
            var j = i;
            while (j < nonBlank.Count && nonBlank[j].Prefix(text) == prefix)
            {
                j++;
            }

            var run = nonBlank.GetRange(i, j - i);
            var first = run[0];
            var content = text.AsSpan(first.ContentStart, first.End - first.ContentStart);
            var indent = content[..(content.Length - content.TrimStart(" \t").Length)];
            var value = string.Join('\n', run.Select(l => text.AsSpan(l.ContentStart, l.End - l.ContentStart).Trim().ToString()));
            var last = run[^1];
            sb.Append(text, first.Start, first.ContentStart - first.Start).Append(indent).Append(Fingerprint(value)).Append(text, last.End, last.Next - last.End);
            i = j;
        }

        return blockEnd;
    }
}
