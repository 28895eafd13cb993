using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

/// <summary>The outcome of importing a repository's history.</summary>
internal sealed record ImportResult(string Repo, int Reachable, int Recorded, int Skipped, TimeSpan Elapsed);

/// <summary>Records every commit reachable from HEAD that is not recorded yet.</summary>
internal static class GitImport
{
    public static async Task<ImportResult> RunAsync(LedgerStore store, GitHistoryReader reader, string host, string actor, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var existing = await store.StreamKeysAsync(StreamKeys.CommitPrefix(host, reader.RepoKey), ct);
        var commits = reader.CommitsFromHead().ToList();
        var todo = commits.Where(c => !existing.Contains(StreamKeys.Commit(host, reader.RepoKey, c.Sha))).ToList();
        progress?.Report((0, todo.Count));

        // Oldest first, so sequence numbers follow history; each event carries its commit date.
        var events = todo.Select(c => new NewEvent(
            StreamKeys.Commit(host, reader.RepoKey, c.Sha),
            reader.Read(c, host, actor),
            c.Committer.When));
        var recorded = await store.StartStreamsAsync(
            events,
            batchSize: 500,
            progress: progress is null ? null : new Progress<int>(n => progress.Report((n, todo.Count))),
            ct: ct);
        return new ImportResult(reader.RepoKey, commits.Count, recorded, commits.Count - recorded, started.Elapsed);
    }
}
