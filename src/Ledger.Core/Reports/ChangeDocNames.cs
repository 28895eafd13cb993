using System.Globalization;
using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.Core.Reports;

/// <summary>
/// File names of the change docs: <c>YYYY-MM-DD-&lt;shortsha&gt;-&lt;slug&gt;.md</c>. The docs
/// writer and the monthly report both name docs through here, so the report's links match.
/// </summary>
public static class ChangeDocNames
{
    public const string Index = "INDEX.md";

    public static string FileName(DateOnly localDate, string sha, string title) =>
        $"{localDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{EventCatalogue.ShortSha(sha)}-{Slug.From(title)}.md";

    /// <summary>
    /// Names for changes given in a fixed order (time, then sequence number). Two changes that
    /// would share a name (the same commit in two repositories of one host) get "-2", "-3", ...
    /// Such changes have the same date, so a caller that sees every change of that day assigns the
    /// same names as one that sees them all.
    /// </summary>
    public static IReadOnlyList<string> Assign(IEnumerable<(DateOnly Date, string Sha, string Title)> changes)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (date, sha, title) in changes)
        {
            var name = FileName(date, sha, title);
            for (int n = 2; !used.Add(name); n++)
            {
                name = FileName(date, sha, title)[..^3] + $"-{n}.md";
            }

            names.Add(name);
        }

        return names;
    }
}
