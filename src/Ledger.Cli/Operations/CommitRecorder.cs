using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Operations;

/// <summary>Records one commit as a config edit (what the post-commit hook does); a commit recorded before is left as it is.</summary>
internal static class CommitRecorder
{
    /// <returns>The new event's seq, or null when the commit was already recorded.</returns>
    public static async Task<long?> RecordAsync(LedgerStore store, string repoPath, string sha, string host, string actor, CancellationToken ct)
    {
        using var reader = GitHistoryReader.Open(repoPath);
        var commit = reader.Resolve(sha);
        return await store.TryStartStreamAsync(
            new NewEvent(StreamKeys.Commit(host, reader.RepoKey, commit.Sha), reader.Read(commit, host, actor), commit.Committer.When),
            ct);
    }
}
