using Ledger.Core.Restore;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// The write side of the configuration repository for deploy and restore: commit the working
/// tree, commit a tree taken from another commit (history is only ever added to), stash, and
/// check out. Also the read-only diff that a restore plan shows.
/// </summary>
public sealed class ConfigRepository : IDisposable
{
    private static readonly CompareOptions Compare = new() { Similarity = SimilarityOptions.Renames };

    private readonly Repository _repo;

    private ConfigRepository(Repository repo, string key)
    {
        _repo = repo;
        RepoKey = key;
    }

    /// <summary>The same identity <see cref="GitHistoryReader.RepoKey"/> gives the repository.</summary>
    public string RepoKey { get; }

    public string GitDirectory => _repo.Info.Path;

    public string WorkingDirectory => _repo.Info.WorkingDirectory ?? throw new CaptureException($"{RepoKey} is a bare repository; deploy and restore need a working tree.");

    public string Head => _repo.Head.Tip?.Sha ?? throw new CaptureException($"{RepoKey} has no commit yet; commit the configuration first.");

    /// <param name="write">Whether the caller will commit or check out: then this user's write rights are checked first (exit 2 with what to do).</param>
    public static ConfigRepository Open(string path, bool write = true)
    {
        using var probe = GitHistoryReader.Open(path);
        var repo = new Repository(Path.GetFullPath(path));
        try
        {
            if (write)
            {
                RepositoryAccess.RequireWritable(repo.Info.Path, repo.Info.WorkingDirectory, "Deploy and restore commit to the configuration repository and check files out; this");
            }
        }
        catch
        {
            repo.Dispose();
            throw;
        }

        return new ConfigRepository(repo, probe.RepoKey);
    }

    /// <summary>Modified, staged or untracked files (ignored files do not count).</summary>
    public IReadOnlyList<string> DirtyPaths() =>
        _repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, IncludeIgnored = false })
            .Where(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored)
            .Select(e => e.FilePath)
            .ToArray();

    public bool CommitExists(string sha) => _repo.Lookup<Commit>(sha) is not null;

    /// <summary>Whether the commit's tree equals HEAD's tree.</summary>
    public bool TreeEqualsHead(string sha) => Resolve(sha).Tree.Sha == _repo.Head.Tip?.Tree.Sha;

    /// <summary>Whether <paramref name="ancestor"/> is reachable from <paramref name="descendant"/>.</summary>
    public bool IsAncestor(string ancestor, string descendant)
    {
        var a = Resolve(ancestor);
        var d = Resolve(descendant);
        return a.Sha == d.Sha || _repo.ObjectDatabase.FindMergeBase(a, d)?.Sha == a.Sha;
    }

    /// <summary>The files that differ from HEAD's tree to <paramref name="targetSha"/>'s tree.</summary>
    public IReadOnlyList<PlannedFile> DiffFromHead(string targetSha)
    {
        var patch = _repo.Diff.Compare<Patch>(_repo.Head.Tip?.Tree, Resolve(targetSha).Tree, Compare);
        return patch.Select(p => new PlannedFile(
                p.Path,
                p.Status is ChangeKind.Renamed ? p.OldPath : null,
                p.Status.ToString().ToLowerInvariant(),
                p.LinesAdded,
                p.LinesDeleted,
                p.IsBinaryComparison))
            .ToArray();
    }

    /// <summary>Stages everything (additions, edits, deletions) and commits it; null when there was nothing to commit.</summary>
    public string? CommitAll(string message)
    {
        LibGit2Sharp.Commands.Stage(_repo, "*");
        if (!_repo.RetrieveStatus(new StatusOptions { IncludeUntracked = false }).IsDirty)
        {
            return null;
        }

        var sig = Signature();
        return _repo.Commit(message, sig, sig).Sha;
    }

    /// <summary>
    /// Writes a new commit on top of HEAD whose tree is <paramref name="treeFromSha"/>'s tree, and
    /// moves the branch to it, without touching the working tree (see <see cref="CheckoutHead"/>).
    /// </summary>
    public string CommitTreeOf(string treeFromSha, string message)
    {
        var head = _repo.Head.Tip ?? throw new CaptureException($"{RepoKey} has no commit yet.");
        var sig = Signature();
        var commit = _repo.ObjectDatabase.CreateCommit(sig, sig, message, Resolve(treeFromSha).Tree, [head], prettifyMessage: true);
        if (_repo.Info.IsHeadDetached)
        {
            _repo.Refs.UpdateTarget(_repo.Refs.Head, commit.Id, $"ledger: {message}");
        }
        else
        {
            _repo.Refs.UpdateTarget(_repo.Refs[_repo.Head.CanonicalName], commit.Id, $"ledger: {message}");
        }

        return commit.Sha;
    }

    /// <summary>Makes the index and working tree equal HEAD's tree (a hard reset to HEAD; idempotent).</summary>
    public void CheckoutHead() => _repo.Reset(ResetMode.Hard, _repo.Head.Tip);

    /// <summary>
    /// Moves the branch from <paramref name="ownCommit"/> back to <paramref name="previous"/> and
    /// makes the index and the working tree equal it: a failed restore takes back the commit it
    /// made (never published, never recorded; the reflog keeps it). Nothing happens when HEAD is
    /// no longer that commit (someone committed on top: then it stays, and is not ours to drop).
    /// </summary>
    public void TakeBack(string ownCommit, string previous, string reflogMessage)
    {
        if (_repo.Head.Tip?.Sha != ownCommit)
        {
            return;
        }

        var target = Resolve(previous);
        if (_repo.Info.IsHeadDetached)
        {
            _repo.Refs.UpdateTarget(_repo.Refs.Head, target.Id, reflogMessage);
        }
        else
        {
            _repo.Refs.UpdateTarget(_repo.Refs[_repo.Head.CanonicalName], target.Id, reflogMessage);
        }

        CheckoutHead();
    }

    /// <summary>
    /// Puts the changes that <see cref="Stash"/> set aside as <paramref name="stashSha"/> back into
    /// the working tree and drops the stash; false when it is gone or does not apply cleanly (then it stays in git stash list).
    /// </summary>
    public bool Unstash(string stashSha)
    {
        var index = _repo.Stashes.Select((s, i) => (s, i)).FirstOrDefault(x => x.s.WorkTree.Sha == stashSha) is { s: not null } found ? found.i : -1;
        return index >= 0 && _repo.Stashes.Pop(index, new StashApplyOptions()) == StashApplyStatus.Applied;
    }

    /// <summary>Stashes local changes including untracked files; returns the stash commit, or null when clean.</summary>
    public string? Stash(string message)
    {
        var stash = _repo.Stashes.Add(Signature(), message, StashModifiers.IncludeUntracked);
        return stash?.WorkTree.Sha;
    }

    public void Dispose() => _repo.Dispose();

    private Commit Resolve(string sha) =>
        _repo.Lookup<Commit>(sha) ?? throw new CaptureException($"Commit {sha} is not in {RepoKey} (was the history rewritten or the repository replaced?).");

    private Signature Signature()
    {
        var name = _repo.Config.Get<string>("user.name")?.Value ?? "Ledger";
        var email = _repo.Config.Get<string>("user.email")?.Value ?? "ledger@localhost";
        return new Signature(name, email, DateTimeOffset.Now);
    }
}
