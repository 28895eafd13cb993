using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Capture.Checks;

/// <summary>
/// The header comment of a script or config file and what it lacks. The header is every comment
/// line before the first line of code: lines starting with <c>#</c>, <c>//</c> or <c>--</c>, and
/// <c>/* ... */</c> blocks; blank lines are skipped and a <c>#!</c> shebang on the first line is
/// not part of it. It must mention a purpose ("purpose"), a date (YYYY-MM-DD, a real date) and
/// how to roll back ("rollback", "roll back", "roll-back"), in any case.
/// </summary>
internal static partial class DocHeader
{
    public const string Purpose = "a purpose";
    public const string Date = "a date (YYYY-MM-DD)";
    public const string Rollback = "how to roll back";

    // A header longer than this is not a header; reading stops, so large files cost nothing.
    private const int MaxLines = 200;

    /// <summary>The comment lines at the top of the text.</summary>
    public static IReadOnlyList<string> Read(TextReader reader)
    {
        var header = new List<string>();
        var inBlock = false;
        for (var number = 1; number <= MaxLines && reader.ReadLine() is { } line; number++)
        {
            var text = line.Trim().TrimStart('\uFEFF');
            if (number == 1 && text.StartsWith("#!", StringComparison.Ordinal))
            {
                continue;
            }

            if (inBlock)
            {
                header.Add(text);
                inBlock = !text.Contains("*/", StringComparison.Ordinal);
                continue;
            }

            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith('#') || text.StartsWith("//", StringComparison.Ordinal) || text.StartsWith("--", StringComparison.Ordinal))
            {
                header.Add(text);
                continue;
            }

            if (text.StartsWith("/*", StringComparison.Ordinal))
            {
                header.Add(text);
                inBlock = !text.AsSpan(2).Contains("*/", StringComparison.Ordinal);
                continue;
            }

            break;
        }

        return header;
    }

    /// <summary>What the header lacks: some of <see cref="Purpose"/>, <see cref="Date"/>, <see cref="Rollback"/>.</summary>
    public static IReadOnlyList<string> Lacks(IReadOnlyList<string> header)
    {
        var text = string.Join('\n', header);
        var lacks = new List<string>();
        if (!PurposeWord().IsMatch(text))
        {
            lacks.Add(Purpose);
        }

        if (!IsoDate().Matches(text).Any(m => DateOnly.TryParseExact(m.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
        {
            lacks.Add(Date);
        }

        if (!RollbackWords().IsMatch(text))
        {
            lacks.Add(Rollback);
        }

        return lacks;
    }

    [GeneratedRegex(@"\bpurpose\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PurposeWord();

    [GeneratedRegex(@"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\broll(?:ing)?[ -]?back", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RollbackWords();
}
