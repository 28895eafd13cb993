using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Core.Errors;

namespace Ledger.Core.Text;

/// <summary>Durations as admins type them (<c>72h</c>, <c>3d</c>, <c>1h30m</c>, <c>90m</c>) and as Ledger says them (<c>3 h 10 min</c>).</summary>
public static partial class DurationText
{
    /// <summary>Parses one or more number-unit pairs (d, h, m or min, s); throws naming <paramref name="optionName"/> otherwise.</summary>
    public static TimeSpan Parse(string text, string optionName)
    {
        var trimmed = text.Trim();
        var matches = Part().Matches(trimmed);
        if (trimmed.Length == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            throw new LedgerException($"{optionName} {text}: expected a duration such as 72h, 3d, 90m or 1h30m.");
        }

        var total = TimeSpan.Zero;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" or "min" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }

        return total > TimeSpan.Zero
            ? total
            : throw new LedgerException($"{optionName} {text}: the duration must be longer than zero.");
    }

    /// <summary>The two largest units: <c>2 d 4 h</c>, <c>3 h 10 min</c>, <c>12 min</c>, <c>40 s</c>.</summary>
    public static string Format(TimeSpan span)
    {
        var s = span.Duration();
        if (s.TotalMinutes < 1)
        {
            return $"{(int)s.TotalSeconds} s";
        }

        if (s.TotalHours < 1)
        {
            return $"{(int)s.TotalMinutes} min";
        }

        if (s.TotalDays < 1)
        {
            return s.Minutes == 0 ? $"{(int)s.TotalHours} h" : $"{(int)s.TotalHours} h {s.Minutes} min";
        }

        return s.Hours == 0 ? $"{(int)s.TotalDays} d" : $"{(int)s.TotalDays} d {s.Hours} h";
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)\s*(d|h|min|m|s)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
