using Ledger.Core.Nix;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// flake.lock: which direct inputs a commit moved, read from the lock file on both sides of it.
public sealed partial class GitHistoryReader
{
    private readonly Dictionary<ObjectId, (IReadOnlyDictionary<string, FlakeLock.Pin>? Pins, string? Problem)> _locks = [];

    /// <summary>
    /// Lock files remembered parsed (per reader), before the cache starts again. A commit needs
    /// its parent's lock, which the commit before it read a moment ago: a few suffice, where 1,024
    /// held some 34,000 pins (revisions, dates, names) of Mic92/dotfiles' history alive, a tenth
    /// of the import's live heap.
    /// </summary>
    private const int LocksRemembered = 16;

    /// <summary>
    /// The direct flake inputs the commit moved, when it changed a flake.lock (the one nearest the
    /// top of the repository when it changed several), or why that lock could not be read. A bad
    /// lock never stops the commit from being recorded.
    /// </summary>
    private (IReadOnlyList<FlakeInputChange>? Inputs, string? Problem) FlakeInputsOf(Commit commit, IReadOnlyList<FileChange> files) =>
        FlakeInputsOf(files, () => commit.Parents.FirstOrDefault() is { } parent ? new TreeRef(() => TreeOf(parent)) : null, () => new TreeRef(() => commit.Tree));

    /// <summary><see cref="FlakeInputsOf(Commit, IReadOnlyList{FileChange})"/> with the trees on both sides given (each made only when a lock file needs it).</summary>
    private (IReadOnlyList<FlakeInputChange>? Inputs, string? Problem) FlakeInputsOf(IReadOnlyList<FileChange> files, Func<TreeRef?> parentTree, Func<TreeRef> tree)
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
            var (old, oldProblem) = lockFile.Kind == FileChangeKind.Added ? (null, null) : LockAt(parentTree(), lockFile.OldPath ?? lockFile.Path);
            var (now, newProblem) = lockFile.Kind == FileChangeKind.Deleted ? (null, null) : LockAt(tree(), lockFile.Path);
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

    /// <summary>
    /// The lock file at <paramref name="path"/> in a tree, parsed, or nothing when there is none (or
    /// it is not a file). Parsed once per content: the lock before a commit is usually the one after
    /// the commit that last changed it, read a moment ago.
    /// </summary>
    private (IReadOnlyDictionary<string, FlakeLock.Pin>? Pins, string? Problem) LockAt(TreeRef? tree, string path)
    {
        Func<string> text;
        ObjectId id;
        if (tree is null)
        {
            return (null, null);
        }
        else if (tree.Direct)
        {
            if (BlobAt(tree.Id, path) is not { } found)
            {
                return (null, null);
            }

            id = found;
            text = () => _repo.Lookup<Blob>(found)?.GetContentText() ?? throw new NotPlainException();
        }
        else if (tree.Tree[path]?.Target is Blob blob)
        {
            id = blob.Id;
            text = blob.GetContentText;
        }
        else
        {
            return (null, null);
        }

        // Its bytes parsed as they are where they can be (no string of a lock file that is mostly
        // hashes), else its text as LibGit2Sharp decodes it.
        return Remembered(_locks, id, () =>
            (Direct() is { } api && api.TryReadObject(_odb, id, static bytes => FlakeLock.ParseUtf8(bytes), out var parsed) ? parsed : null)
            ?? FlakeLock.Parse(text()),
            LocksRemembered);
    }
}
