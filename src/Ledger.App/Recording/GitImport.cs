using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>The outcome of importing a repository's history.</summary>
/// <param name="Vanished">Commits recorded earlier that HEAD no longer reaches (the history was rewritten).</param>
/// <param name="Incomplete">Commits recorded without part of their content, with what is missing (<see cref="ConfigEdited.Incomplete"/>), in history order.</param>
internal sealed record ImportResult(string Repo, int Reachable, int Recorded, int Skipped, TimeSpan Elapsed, IReadOnlyList<string> Vanished, IReadOnlyList<(string Sha, string Reason)> Incomplete);

/// <summary>Records every commit reachable from HEAD that is not recorded yet.</summary>
internal static class GitImport
{
    private const int ChunkSize = 50;

    /// <summary>Events per append transaction: small enough that the first starts early and the last ends soon after the readers.</summary>
    private const int AppendBatch = 100;

    /// <summary>Reader threads: diffing is most of an import's CPU, the database the rest.</summary>
    private static int Readers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    private static int ReadersAhead(int chunks) => Math.Max(1, Math.Min(chunks, 4 * Readers));

    private static NewEvent Read(GitHistoryReader reader, string sha, string host, string actor)
    {
        var e = CommitRecorder.Event(reader, sha, host, actor);
        _ = e.Json; // serialised here, on a reader thread, not by the appender
        return e;
    }

    public static async Task<ImportResult> RunAsync(LedgerStore store, GitHistoryReader reader, string host, string actor, IProgress<(int Done, int Total)>? progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        // The history is walked (libgit2) while the recorded commits are read (the database).
        var walk = Task.Run(reader.CommitsFromHead, CancellationToken.None);
        var existing = await store.StreamKeysAsync(StreamKeys.CommitPrefix(host, reader.RepoKey), ct);
        var commits = await walk;
        var todo = commits.Where(sha => !existing.Contains(StreamKeys.Commit(host, reader.RepoKey, sha))).ToList();
        var prefix = StreamKeys.CommitPrefix(host, reader.RepoKey);
        var reachable = commits.ToHashSet(StringComparer.Ordinal);
        var vanished = existing.Select(k => k[prefix.Length..]).Where(sha => !reachable.Contains(sha)).Order(StringComparer.Ordinal).ToList();
        progress?.Report((0, todo.Count));

        // Diffing (CPU, libgit2) and appending (database round trips) overlap: reader threads, each
        // with its own repository handle, diff chunks of commits while this one writes batches.
        // Chunks are handed on in history order (oldest first, so sequence numbers follow history;
        // each event carries its commit date), and readers stay at most a few chunks ahead.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chunks = todo.Chunk(ChunkSize).ToArray();
        var slots = chunks.Select(_ => new TaskCompletionSource<NewEvent[]>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var ahead = new SemaphoreSlim(ReadersAhead(chunks.Length));
        int next = -1;
        var readers = Enumerable.Range(0, Math.Min(Readers, chunks.Length)).Select(_ => Task.Run(
            async () =>
            {
                int reading = -1;
                try
                {
                    using var own = reader.OpenAnother();
                    while (true)
                    {
                        // Room first, then the next chunk: the chunk the appender waits for always has room.
                        await ahead.WaitAsync(stop.Token);
                        reading = Interlocked.Increment(ref next);
                        if (reading >= chunks.Length)
                        {
                            break;
                        }

                        slots[reading].TrySetResult(chunks[reading].Select(sha => Read(own, sha, host, actor)).ToArray());
                        reading = -1;
                    }
                }
                catch (Exception e)
                {
                    if (reading >= 0 && reading < chunks.Length)
                    {
                        // The appender records the chunks before this one, then fails here.
                        slots[reading].TrySetException(e);
                    }
                    else
                    {
                        // Failed outside any chunk (opening the repository): no one else would end the rest.
                        foreach (var slot in slots)
                        {
                            slot.TrySetException(e);
                        }
                    }
                }
            },
            CancellationToken.None)).ToArray();

        var incomplete = new List<(string Sha, string Reason)>();
        async IAsyncEnumerable<NewEvent> InOrder()
        {
            foreach (var slot in slots)
            {
                foreach (var e in await slot.Task.WaitAsync(ct))
                {
                    if (e.Event is ConfigEdited { Incomplete: { } reason } edit)
                    {
                        incomplete.Add((edit.Sha, reason));
                    }

                    yield return e;
                }

                ahead.Release();
            }
        }

        int recorded;
        try
        {
            recorded = await store.StartStreamsAsync(
                InOrder(),
                batchSize: AppendBatch,
                progress: progress is null ? null : new Progress<int>(n => progress.Report((n, todo.Count))),
                ct: ct);
        }
        finally
        {
            // When appending fails, the readers must not wait forever for room ahead.
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }

        return new ImportResult(reader.RepoKey, commits.Count, recorded, commits.Count - recorded, started.Elapsed, vanished, incomplete);
    }
}
