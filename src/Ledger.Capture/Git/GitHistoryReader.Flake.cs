using Ledger.Core.Nix;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// flake.lock: which direct inputs a commit moved, read from the lock file on both sides of it.
public sealed partial class GitHistoryReader
{
    /// <summary>
    /// The direct flake inputs the commit moved, when it changed a flake.lock (the one nearest the
    /// top of the repository when it changed several), or why that lock could not be read. A bad
    /// lock never stops the commit from being recorded.
    /// </summary>
    private static (IReadOnlyList<FlakeInputChange>? Inputs, string? Problem) FlakeInputsOf(Commit commit, IReadOnlyList<FileChange> files)
    {
        var lockFile = files
            .Where(f => IsLockFile(f.Path) || (f.OldPath is not null && IsLockFile(f.OldPath)))
            .OrderBy(f => f.Path.Count(c => c == '/'))
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .FirstOrDefault();
        if (lockFile is null)
        {
            return (null, null);
        }

        try
        {
            var before = lockFile.Kind == FileChangeKind.Added ? null : TextAt(commit.Parents.FirstOrDefault()?.Tree, lockFile.OldPath ?? lockFile.Path);
            var after = lockFile.Kind == FileChangeKind.Deleted ? null : TextAt(commit.Tree, lockFile.Path);
            var (old, oldProblem) = before is null ? (null, null) : FlakeLock.Parse(before);
            var (now, newProblem) = after is null ? (null, null) : FlakeLock.Parse(after);
            if (newProblem is not null)
            {
                return (null, $"{lockFile.Path}: {newProblem}; its inputs are not recorded for this commit");
            }

            if (oldProblem is not null)
            {
                return (null, $"{lockFile.OldPath ?? lockFile.Path} before this commit: {oldProblem}; what moved cannot be said");
            }

            return (FlakeLock.Changes(old, now), null);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            return (null, $"{lockFile.Path} cannot be read ({Describe(e)}); its inputs are not recorded for this commit");
        }
    }

    private static bool IsLockFile(string path) => path == "flake.lock" || path.EndsWith("/flake.lock", StringComparison.Ordinal);

    /// <summary>The text of the file at <paramref name="path"/> in a tree, or null when there is none (or it is not a file).</summary>
    private static string? TextAt(Tree? tree, string path) =>
        tree?[path]?.Target is Blob blob ? blob.GetContentText() : null;
}
