using System.CommandLine;
using System.Text.RegularExpressions;

namespace Ledger.Cli;

/// <summary>
/// What a command line that does not parse gets told: System.CommandLine's errors, reworded where
/// they say less than a user needs. An unknown command comes with the nearest known ones ("did you
/// mean"), a group given without its command ('ledger db') lists its commands, and a value of the
/// wrong kind names the kind in words rather than a .NET type.
/// </summary>
internal static partial class UsageErrors
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var lines = new List<string>();
        var unknown = parse.UnmatchedTokens.Count > 0 ? parse.UnmatchedTokens[0] : null;
        var commands = command.Subcommands.Where(c => !c.Hidden).ToList();
        var explained = false;
        if (commands.Count > 0 && unknown is not null && !unknown.StartsWith('-'))
        {
            var near = Nearest(unknown, commands.Select(c => c.Name));
            lines.Add($"'{unknown}' is not a command of '{path}'" + (near.Count > 0 ? $"; did you mean {string.Join(" or ", near.Select(n => $"'{path} {n}'"))}?" : "."));
            explained = true;
        }
        else if (commands.Count > 0 && command.Action is null && unknown is null)
        {
            lines.Add($"'{path}' needs one of its commands:");
            var width = commands.Max(c => c.Name.Length);
            lines.AddRange(commands.Select(c => $"  {c.Name.PadRight(width)}  {c.Description}"));
            explained = true;
        }

        foreach (var error in parse.Errors.Select(e => e.Message))
        {
            if (explained && (error.StartsWith("Required command was not provided", StringComparison.Ordinal) || (unknown is not null && error.Contains($"'{unknown}'", StringComparison.Ordinal))))
            {
                continue;
            }

            lines.Add(Reworded(error));
        }

        return lines;
    }

    /// <summary>'Cannot parse argument 'abc' for command 'show' as expected type 'System.Int64'' in words.</summary>
    private static string Reworded(string error)
    {
        var m = WrongType().Match(error);
        if (!m.Success)
        {
            return error;
        }

        var what = m.Groups["type"].Value switch
        {
            "System.Int64" or "System.Int32" => "a whole number",
            "System.Double" or "System.Decimal" => "a number",
            "System.DateTimeOffset" or "System.DateTime" or "System.DateOnly" => "a date (YYYY-MM-DD)",
            "System.TimeSpan" => "a duration",
            "System.Boolean" => "true or false",
            _ => "a valid value",
        };
        var of = m.Groups["kind"].Value == "option" ? $"{m.Groups["name"].Value}" : $"the argument of '{m.Groups["name"].Value}'";
        return $"'{m.Groups["value"].Value}' is not {what}, as {of} must be.";
    }

    /// <summary>The known names closest to what was typed: one or two edits away, or starting with it.</summary>
    internal static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> names)
    {
        var scored = names
            .Select(n => (Name: n, Distance: Distance(typed.ToLowerInvariant(), n)))
            .Where(x => x.Distance <= Math.Max(1, Math.Min(2, typed.Length / 3)) || (typed.Length >= 2 && x.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
        return scored.Select(x => x.Name).Take(3).ToList();
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(r.Command is RootCommand ? "ledger" : r.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?<kind>command|option) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex WrongType();
}
