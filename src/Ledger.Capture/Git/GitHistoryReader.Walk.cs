using LibGit2Sharp;

namespace Ledger.Capture.Git;

// The history from HEAD: every commit oldest first (what an import records, in that order), and
// the first-parent line back from a commit.
public sealed partial class GitHistoryReader
{
    private Task<IReadOnlyList<string>>? _walk;

    /// <summary>
    /// <see cref="CommitsFromHead"/> on the thread pool, started by the first call and shared by the
    /// next: an import starts the walk as soon as the repository is open, so that it runs while the
    /// database is reached (ledger-hook), and takes its result later. The handle is not used by
    /// anything else meanwhile.
    /// </summary>
    public Task<IReadOnlyList<string>> CommitsFromHeadAsync() =>
        _walk ??= Task.Run(CommitsFromHead, CancellationToken.None);

    /// <summary>The sha of every commit reachable from HEAD, oldest first (parents before children). Empty when HEAD is unborn.</summary>
    /// <exception cref="CaptureException">A commit object is missing or corrupt, so the history cannot be walked (exit 2).</exception>
    public IReadOnlyList<string> CommitsFromHead()
    {
        if (_repo.Head.Tip is null)
        {
            return [];
        }

        const CommitSortStrategies order = CommitSortStrategies.Topological | CommitSortStrategies.Time | CommitSortStrategies.Reverse;
        if (DirectDiff && Libgit2.Api is { } api && Libgit2.RepositoryPointer(_repo) is var handle && handle != IntPtr.Zero)
        {
            // Without LibGit2Sharp looking every commit up again as an object to give its sha (a
            // re-import of 16,338 recorded commits spent most of its time there).
            var (shas, error) = api.Walk(handle, _repo.Head.Tip.Id, (uint)order);
            return error is null ? shas : throw CannotWalk(error, null);
        }

        var filter = new CommitFilter { IncludeReachableFrom = _repo.Head, SortBy = order };
        try
        {
            return _repo.Commits.QueryBy(filter).Select(c => c.Sha).ToList();
        }
        catch (LibGit2SharpException e)
        {
            throw CannotWalk(e.Message, e);
        }
    }

    /// <summary>Oldest first needs the whole walk before the first commit, so nothing is recorded.</summary>
    private CaptureException CannotWalk(string error, Exception? inner) => new(
        $"The history of {RepoKey} cannot be walked: {error}. A commit object is missing or corrupt; " +
        $"'git -C {RepoKey} fsck' names it (a shallow or partial clone can be completed with 'git fetch --unshallow' or 'git fetch --refetch'). Nothing was recorded.",
        inner: inner);

    /// <summary>The sha of the first parent of the commit <paramref name="revision"/> names, or null for a root commit.</summary>
    public string? FirstParentOf(string revision) => Lookup(revision).Parents.FirstOrDefault()?.Sha;
}
