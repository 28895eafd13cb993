using Ledger.Capture.Git;
using Ledger.Store;
using Serilog;

namespace Ledger.App.Recording;

/// <summary>
/// Follows the configuration repository: when HEAD moved since the last look (a commit made
/// without the hook, a pull, a checkout), records the commits not recorded yet through the same
/// import as <c>ledger import-git</c>. Looking costs one read of HEAD; importing only happens on a
/// move, and never while a deploy or restore holds the repository's lock.
/// </summary>
internal sealed class GitWatch(LedgerStore store, string repo, string host, string actor, ILogger log)
{
    private string? _seenHead;

    /// <summary>One look: a line for the log when new commits were recorded, else null.</summary>
    public async Task<string?> LookAsync(CancellationToken ct)
    {
        // A Repository is not thread-safe and the repository may be replaced on disk: open it each time.
        using var reader = GitHistoryReader.Open(repo);
        if (RepositoryLock.HeldBy(reader.GitDirectory) is not null)
        {
            // A deploy or restore is under way: its commit is recorded by it once its switch
            // succeeded, or taken back; look again on the next run.
            return null;
        }

        var head = reader.Head;
        if (head is null || head == _seenHead)
        {
            return null;
        }

        var result = await GitImport.RunAsync(store, reader, host, actor, null, ct);
        _seenHead = head;
        foreach (var (sha, reason) in result.Incomplete)
        {
            log.Warning("Commit {Sha} of {Repo} was recorded without part of its content: {Reason}", sha, result.Repo, reason);
        }

        return result.Recorded == 0 ? null : $"HEAD of {result.Repo} is {head[..12]}: {result.Recorded} new commits recorded";
    }
}
