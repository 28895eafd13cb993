using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>Records one commit as a config edit (what the post-commit hook does); a commit recorded before is left as it is.</summary>
internal static class CommitRecorder
{
    /// <returns>The new event's seq, or null when the commit was already recorded.</returns>
    public static async Task<long?> RecordAsync(LedgerStore store, string repoPath, string sha, string host, string actor, CancellationToken ct)
    {
        using var reader = GitHistoryReader.Open(repoPath);
        return await store.TryStartStreamAsync(Event(reader, reader.Resolve(sha), host, actor), ct);
    }

    /// <summary>
    /// A commit as the event every path records it as (hook, daemon, import): its stream key, the
    /// redacted <see cref="ConfigEdited"/>, and the commit date as the event's time.
    /// </summary>
    public static NewEvent Event(GitHistoryReader reader, LibGit2Sharp.Commit commit, string host, string actor, string? purpose = null, string? notes = null) =>
        new(StreamKeys.Commit(host, reader.RepoKey, commit.Sha), reader.Read(commit, host, actor, purpose, notes), commit.Committer.When);
}
