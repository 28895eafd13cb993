using System.Text.RegularExpressions;

namespace Ledger.Core.Nix;

/// <summary>
/// Reads the output of <c>nvd diff OLD NEW</c> into the same <see cref="PackageChange"/>s as
/// <see cref="ClosureDiff"/>. nvd prints sections (<c>Version changes:</c>, <c>Added packages:</c>,
/// <c>Removed packages:</c>) of lines <c>[KS]  #NN  NAME  VERSIONS</c>, where K is U (upgrade),
/// D (downgrade), C (changed), A (added) or R (removed) and S marks a package the user selected;
/// a change's versions are <c>OLD -&gt; NEW</c>, each side a comma-separated list in which
/// <c>VERSION xN</c> counts repeats and <c>&lt;none&gt;</c> is an empty version. nvd lists every
/// version of a package on each side and no size per package (<see cref="PackageChange.SizeDeltaBytes"/> is null).
/// </summary>
public static partial class NvdDiff
{
    public static (IReadOnlyList<PackageChange> Changes, IReadOnlyList<string> Unread) Parse(string output)
    {
        var changes = new List<PackageChange>();
        var unread = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = Ansi().Replace(raw, "").Trim();
            if (line.Length == 0 || IsFrame(line))
            {
                continue;
            }

            var m = Row().Match(line);
            if (!m.Success)
            {
                unread.Add(line);
                continue;
            }

            var name = m.Groups["name"].Value;
            var versions = m.Groups["versions"].Value.Trim();
            switch (m.Groups["kind"].Value)
            {
                case "A":
                    changes.Add(new PackageChange(name, [], Side(versions), null));
                    break;
                case "R":
                    changes.Add(new PackageChange(name, Side(versions), [], null));
                    break;
                default:
                    var arrow = versions.IndexOf(" -> ", StringComparison.Ordinal);
                    if (arrow < 0)
                    {
                        unread.Add(line);
                        break;
                    }

                    changes.Add(new PackageChange(name, Side(versions[..arrow]), Side(versions[(arrow + 4)..]), null));
                    break;
            }
        }

        return (changes, unread);
    }

    /// <summary>The paths compared, the section headings and the closure summary: nothing to record per package.</summary>
    private static bool IsFrame(string line) =>
        line.StartsWith("<<< ", StringComparison.Ordinal) || line.StartsWith(">>> ", StringComparison.Ordinal)
        || line.EndsWith(':') && !line.StartsWith('[') || line.StartsWith("Closure size:", StringComparison.Ordinal)
        || line == "No version or selection state changes.";

    private static string[] Side(string text) =>
        text.Split(", ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(v => Repeat().Replace(v, ""))
            .Select(v => v == "<none>" ? "" : v)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^\[(?<kind>[UDCAR]).\]\s+#\d+\s+(?<name>\S+)\s+(?<versions>.+)$")]
    private static partial Regex Row();

    [GeneratedRegex(@" x\d+$")]
    private static partial Regex Repeat();
}
