namespace Ledger.IntegrationTests.Support;

/// <summary>One file of <c>git diff-tree --numstat</c>: binary files have null counts.</summary>
public sealed record NumstatEntry(string Path, string? OldPath, int? Added, int? Deleted);

/// <summary>What git itself says a commit changed, diffed like Ledger diffs it (first parent, renames on).</summary>
public static class GitNumstat
{
    public static IReadOnlyList<NumstatEntry> Of(GitRepo repo, string sha) => Parse(new GitRepoView(repo.Path).Numstat(sha));

    /// <summary>
    /// Parses -z numstat: "A\tD\tPATH\0" for one path, "A\tD\t\0OLD\0NEW\0" for a rename or copy,
    /// "-\t-\t" counts for binary files.
    /// </summary>
    public static IReadOnlyList<NumstatEntry> Parse(string output)
    {
        var result = new List<NumstatEntry>();
        var fields = output.Split('\0');
        for (int i = 0; i < fields.Length; i++)
        {
            var field = fields[i].TrimStart('\n');
            if (field.Length == 0)
            {
                continue;
            }

            var parts = field.Split('\t');
            int? added = parts[0] == "-" ? null : int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            int? deleted = parts[1] == "-" ? null : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            if (parts[2].Length == 0)
            {
                result.Add(new NumstatEntry(fields[i + 2], fields[i + 1], added, deleted));
                i += 2;
            }
            else
            {
                result.Add(new NumstatEntry(parts[2], null, added, deleted));
            }
        }

        return result;
    }
}
