using System.Globalization;

namespace Ledger.Capture.Gpu;

/// <summary>
/// Parses the CSV that <c>nvidia-smi --query-*</c> prints, with <c>--format=csv</c> (a header line
/// whose names may carry units, <c>memory.used [MiB]</c>, and values with units, <c>1234 MiB</c>) or
/// <c>--format=csv,noheader[,nounits]</c> (the caller names the fields, in query order). Rows are
/// dictionaries from the field name, without its unit, to the raw cell.
/// </summary>
/// <remarks>
/// nvidia-smi does not quote: cells are joined with ", ". A value that itself contains ", " (a
/// process name, say) would add cells; the caller may name one free-text field that takes them back.
/// </remarks>
internal static class NvidiaSmiCsv
{
    private const string Separator = ", ";

    /// <summary>Parses <c>--format=csv</c> output: a header line, then one line per row (per GPU, per process).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(string output, string? freeTextField = null)
    {
        var lines = Lines(output);
        if (lines.Count == 0)
        {
            throw new CaptureException("nvidia-smi printed nothing where a CSV header line was expected; the output is empty or was cut off.");
        }

        var fields = ParseHeader(lines[0]);
        return ParseRows(lines, 1, fields, freeTextField);
    }

    /// <summary>
    /// Parses <c>--format=csv,noheader</c> or <c>csv,noheader,nounits</c> output, whose columns are
    /// <paramref name="fields"/> in query order. Empty output is an error unless
    /// <paramref name="emptyMeansNoRows"/> (a process query with nothing running prints nothing).
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(
        string output, IReadOnlyList<string> fields, bool emptyMeansNoRows = false, string? freeTextField = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var lines = Lines(output);
        if (lines.Count == 0 && !emptyMeansNoRows)
        {
            throw new CaptureException(
                $"nvidia-smi printed nothing where rows of {string.Join(",", fields)} were expected; the output is empty or was cut off.");
        }

        return ParseRows(lines, 0, fields, freeTextField);
    }

    /// <summary>The field names of a header line, without unit suffixes: <c>memory.used [MiB]</c> gives <c>memory.used</c>.</summary>
    public static IReadOnlyList<string> ParseHeader(string headerLine)
    {
        ArgumentNullException.ThrowIfNull(headerLine);
        return headerLine.TrimEnd('\r').Split(Separator).Select(StripUnit).ToArray();
    }

    /// <summary>
    /// The number in a cell, with a trailing unit (<c>1234 MiB</c>, <c>45 %</c>, <c>70.52 W</c>) dropped;
    /// null when nvidia-smi had no value (<c>[N/A]</c>, <c>N/A</c>, <c>[Not Supported]</c>, any other
    /// bracketed message, or an empty cell). Any other text is a <see cref="CaptureException"/>.
    /// </summary>
    public static double? Number(string? cell, string field = "value")
    {
        if (IsMissing(cell))
        {
            return null;
        }

        var text = cell!.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var number = space < 0 ? text : text[..space];
        if (number.EndsWith('%'))
        {
            number = number[..^1];
        }

        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new CaptureException($"nvidia-smi printed '{cell}' for {field}, where a number was expected.");
    }

    /// <summary>True for the cells nvidia-smi prints when it has no value: bracketed messages, N/A, empty.</summary>
    public static bool IsMissing(string? cell)
    {
        if (cell is null)
        {
            return true;
        }

        var text = cell.Trim();
        return text.Length == 0
            || text.Equals("N/A", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith('[') && text.EndsWith(']'));
    }

    private static string StripUnit(string name)
    {
        var trimmed = name.Trim();
        var bracket = trimmed.IndexOf(" [", StringComparison.Ordinal);
        return bracket > 0 && trimmed.EndsWith(']') ? trimmed[..bracket] : trimmed;
    }

    private static List<string> Lines(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        // The output ends with a newline; blank lines carry no row.
        return lines.Where(l => l.Trim().Length > 0).ToList();
    }

    private static List<IReadOnlyDictionary<string, string>> ParseRows(
        List<string> lines, int first, IReadOnlyList<string> fields, string? freeTextField)
    {
        var freeText = freeTextField is null ? -1 : IndexOf(fields, freeTextField);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        for (var i = first; i < lines.Count; i++)
        {
            // An empty last cell is ", " at the end of the line; an editor may have trimmed the space.
            var line = lines[i].EndsWith(',') ? lines[i] + " " : lines[i];
            var cells = line.Split(Separator);
            if (cells.Length < fields.Count)
            {
                throw new CaptureException(
                    $"nvidia-smi output line {i + 1} has {cells.Length} of the {fields.Count} fields ({string.Join(", ", fields)}); " +
                    $"the output looks truncated: '{lines[i]}'.");
            }

            if (cells.Length > fields.Count)
            {
                if (freeText < 0)
                {
                    throw new CaptureException(
                        $"nvidia-smi output line {i + 1} has {cells.Length} cells for {fields.Count} fields ({string.Join(", ", fields)}): '{lines[i]}'.");
                }

                cells = Rejoin(cells, freeText, cells.Length - fields.Count);
            }

            var row = new Dictionary<string, string>(fields.Count, StringComparer.Ordinal);
            for (var f = 0; f < fields.Count; f++)
            {
                // A field asked for twice keeps its first column.
                row.TryAdd(fields[f], cells[f].Trim());
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string[] Rejoin(string[] cells, int at, int extra)
    {
        var joined = string.Join(Separator, cells, at, extra + 1);
        return [.. cells[..at], joined, .. cells[(at + extra + 1)..]];
    }

    private static int IndexOf(IReadOnlyList<string> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
