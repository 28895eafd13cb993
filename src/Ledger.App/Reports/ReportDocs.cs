using Ledger.App.ChangeDocs;

namespace Ledger.App.Reports;

/// <summary>
/// Where the change docs the report links to are when <c>--docs</c> is not given. <c>ledger docs</c>
/// writes them with a manifest (<see cref="GeneratedFiles.ManifestName"/>), so a folder that holds
/// one holds the docs.
/// </summary>
internal static class ReportDocs
{
    /// <summary>
    /// The first of these that holds docs: the report's own folder, a <c>docs</c> folder beside it
    /// (the layout of <c>ledger demo</c> and projections/examples), then <c>docs</c> in each
    /// repository of the month's changes (<paramref name="repos"/>, most changes first: where
    /// services.ledger.docsDir and docs/operations.md put them). None: the first repository's
    /// <c>docs</c>, or the report's folder when the month has no changes.
    /// </summary>
    public static string DefaultFolder(string reportDir, IReadOnlyList<string> repos)
    {
        var candidates = new List<string> { reportDir, Path.GetFullPath(Path.Combine(reportDir, "..", "docs")) };
        candidates.AddRange(repos.Select(r => Path.Combine(r, "docs")));
        return candidates.FirstOrDefault(HoldsDocs) ?? (repos.Count > 0 ? Path.Combine(repos[0], "docs") : reportDir);
    }

    /// <summary>Whether <c>ledger docs</c> wrote into <paramref name="dir"/>.</summary>
    public static bool HoldsDocs(string dir) => File.Exists(Path.Combine(dir, GeneratedFiles.ManifestName));
}
