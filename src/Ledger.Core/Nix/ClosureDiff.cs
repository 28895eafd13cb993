using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Core.Nix;

/// <summary>
/// Reads the output of <c>nix store diff-closures OLD NEW</c>: one line per package name,
/// <c>NAME: OLD → NEW[, ±N.N KiB]</c> or <c>NAME: ±N.N KiB</c>, where a side is a comma-separated
/// list of versions, <c>∅</c> for none and <c>ε</c> for an empty version. The size is coloured
/// with ANSI escapes even when written to a file. The ASCII forms some renderings use
/// (<c>-&gt;</c>, <c>{}</c>) are read too.
/// </summary>
public static partial class ClosureDiff
{
    public static (IReadOnlyList<PackageChange> Changes, IReadOnlyList<string> Unread) Parse(string output)
    {
        var changes = new List<PackageChange>();
        var unread = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = Ansi().Replace(raw, "").Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (Read(line) is { } change)
            {
                changes.Add(change);
            }
            else
            {
                unread.Add(line);
            }
        }

        return (changes, unread);
    }

    private static PackageChange? Read(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var name = line[..colon];
        var rest = line[(colon + 2)..];
        long? size = null;
        if (SizeAtEnd().Match(rest) is { Success: true } m)
        {
            size = (long)Math.Round(double.Parse(m.Groups["kib"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 1024);
            rest = rest[..m.Index];
        }

        if (rest.Length == 0)
        {
            return size is null ? null : new PackageChange(name, [], [], size);
        }

        var arrow = rest.IndexOf(" → ", StringComparison.Ordinal) is var a && a >= 0 ? (a, 3) : (rest.IndexOf(" -> ", StringComparison.Ordinal), 4);
        if (arrow.Item1 < 0)
        {
            return null;
        }

        return new PackageChange(name, Side(rest[..arrow.Item1]), Side(rest[(arrow.Item1 + arrow.Item2)..]), size);
    }

    private static string[] Side(string text) => text.Trim() is "∅" or "{}" or ""
        ? []
        : text.Split(", ", StringSplitOptions.TrimEntries).Select(v => v == "ε" ? "" : v).ToArray();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    /// <summary>The size item: <c>+12.3 KiB</c> alone or after the versions (", +12.3 KiB").</summary>
    [GeneratedRegex(@"(^|, )(?<kib>[+-]\d+(\.\d+)?) KiB$")]
    private static partial Regex SizeAtEnd();
}
