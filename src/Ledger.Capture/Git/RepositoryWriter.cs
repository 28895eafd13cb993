using Ledger.Core.Errors;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// Writes new git history from files, as an admin editing by hand would: used to build the demo's
/// configuration repository. Commits are named by their sha; no LibGit2Sharp type leaves here.
/// </summary>
public static class RepositoryWriter
{
    /// <summary>Whether <paramref name="folder"/> is a repository that already has a commit.</summary>
    public static bool HasHistory(string folder)
    {
        if (!Repository.IsValid(folder))
        {
            return false;
        }

        using var repo = new Repository(folder);
        return repo.Head.Tip is not null;
    }

    /// <summary>Creates an empty repository in <paramref name="folder"/>, which must be missing, empty or already a repository.</summary>
    public static void Init(string folder)
    {
        if (!Repository.IsValid(folder) && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new LedgerException($"{folder} exists and is not a git repository; remove it or pass --dir with another folder.");
        }

        Directory.CreateDirectory(folder);
        Repository.Init(folder);
    }

    /// <summary>
    /// Writes <paramref name="files"/> (path to new content; null deletes the file) into the work
    /// tree, stages everything and commits it. Returns the new commit's sha.
    /// </summary>
    public static string Commit(string folder, IReadOnlyDictionary<string, string?> files, string message, string authorName, string authorEmail, DateTimeOffset when)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(folder, path);
            if (content is null)
            {
                File.Delete(full);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
        }

        using var repo = new Repository(folder);
        LibGit2Sharp.Commands.Stage(repo, "*");
        var who = new Signature(authorName, authorEmail, when);
        return repo.Commit(message, who, who).Sha;
    }
}
