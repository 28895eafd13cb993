using System.Threading.Channels;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

/// <summary>The outcome of importing a repository's history.</summary>
/// <param name="Vanished">Commits recorded earlier that HEAD no longer reaches (the history was rewritten).</param>
internal sealed record ImportResult(string Repo, int Reachable, int Recorded, int Skipped, TimeSpan Elapsed, IReadOnlyList<string> Vanished);

/// <summary>Records every commit reachable from HEAD that is not recorded yet.</summary>
internal static class GitImport
{
    public static async Task<ImportResult> RunAsync(LedgerStore store, GitHistoryReader reader, string host, string actor, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var existing = await store.StreamKeysAsync(StreamKeys.CommitPrefix(host, reader.RepoKey), ct);
        var commits = reader.CommitsFromHead().ToList();
        var todo = commits.Where(c => !existing.Contains(StreamKeys.Commit(host, reader.RepoKey, c.Sha))).ToList();
        var prefix = StreamKeys.CommitPrefix(host, reader.RepoKey);
        var reachable = commits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        var vanished = existing.Select(k => k[prefix.Length..]).Where(sha => !reachable.Contains(sha)).Order(StringComparer.Ordinal).ToList();
        progress?.Report((0, todo.Count));

        // Diffing (CPU, libgit2) and appending (database round trips) overlap: a reader thread fills
        // a bounded channel while this one writes batches. Oldest first, so sequence numbers follow
        // history; each event carries its commit date.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<NewEvent>(new BoundedChannelOptions(1000) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var c in todo)
                    {
                        var e = new NewEvent(StreamKeys.Commit(host, reader.RepoKey, c.Sha), reader.Read(c, host, actor), c.Committer.When);
                        await channel.Writer.WriteAsync(e, stop.Token);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            },
            stop.Token);
        int recorded;
        try
        {
            recorded = await store.StartStreamsAsync(
                channel.Reader.ReadAllAsync(ct),
                batchSize: 500,
                progress: progress is null ? null : new Progress<int>(n => progress.Report((n, todo.Count))),
                ct: ct);
        }
        finally
        {
            // When appending fails, the reader thread must not wait forever on a full channel.
            await stop.CancelAsync();
            await producer;
        }

        return new ImportResult(reader.RepoKey, commits.Count, recorded, commits.Count - recorded, started.Elapsed, vanished);
    }
}
