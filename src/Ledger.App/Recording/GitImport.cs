using System.Collections.Concurrent;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>The outcome of importing a repository's history.</summary>
/// <param name="Vanished">Commits recorded earlier that HEAD no longer reaches (the history was rewritten).</param>
/// <param name="Incomplete">Commits recorded without part of their content, with what is missing (<see cref="ConfigEdited.Incomplete"/>), in history order.</param>
public sealed record ImportResult(string Repo, int Reachable, int Recorded, int Skipped, TimeSpan Elapsed, IReadOnlyList<string> Vanished, IReadOnlyList<(string Sha, string Reason)> Incomplete)
{
    /// <summary>How many commits were read while the history was walked (tests check that the head start was taken).</summary>
    internal int ReadWhileWalking { get; init; }
}

/// <summary>Records every commit reachable from HEAD that is not recorded yet.</summary>
public static class GitImport
{
    /// <summary>
    /// Commits a reader takes at a time. Each reader remembers the layout and flake.lock of the
    /// commits it read, for their children: a chunk's first commit has its parent in another
    /// reader's chunk and reads them again. With 32 rather than 8, a quarter as many do (infra
    /// 7-11% and Mic92 10% less time, EmergentMind 15% less CPU, alternated runs); one slow commit
    /// (hundreds of renames to weigh) still holds up only its chunk while the other readers go on.
    /// </summary>
    private const int ChunkSize = 32;

    /// <summary>How far the readers may run ahead of the appender, in commits: what bounds the events held in memory.</summary>
    private const int CommitsAhead = 400;

    /// <summary>Events per append transaction: small enough that the first starts early and the last ends soon after the readers.</summary>
    private const int AppendBatch = 100;

    /// <summary>
    /// Reader threads, each with its own repository handle: reading is libgit2's work (inflating,
    /// diffing), which most histories spend most of their reading in. What they read is redacted
    /// and serialised between reads (<see cref="FinishRead"/>), by whichever reader comes first.
    /// </summary>
    private static int Readers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    private static int ReadersAhead(int chunks) => Math.Max(1, Math.Min(chunks, CommitsAhead / ChunkSize));

    /// <summary>A commit's event, or the sha of a commit this process cannot read (recorded elsewhere: see <c>RunAsync</c> over an <see cref="EventAppender"/>).</summary>
    private readonly record struct Item(NewEvent? Event, string? Deferred);

    /// <summary>Where the appender is in the chunks: the next chunk and item, and the commit it stopped at.</summary>
    private sealed class Cursor
    {
        public int Slot;
        public int Item;
        public string? Deferred;
    }

    /// <summary>A commit as a reader thread reads it (nothing redacted yet), or the sha of one to be recorded elsewhere.</summary>
    private readonly record struct Pending(GitHistoryReader.PendingEdit? Edit, string? Deferred);

    private static Pending Read(GitHistoryReader reader, string sha, string host, string actor, bool mayDefer)
    {
        try
        {
            return new Pending(reader.ReadPending(sha, host, actor), null);
        }
        catch (LineCallbacksUnavailableException) when (mayDefer)
        {
            return new Pending(null, sha);
        }
    }

    /// <summary>The most commits read while the history is walked: what they hold stays in memory until their turn, usually the import's end.</summary>
    private const int ReadWhileWalkingAtMost = 128;

    /// <summary>
    /// The newest commits not recorded yet, read (not finished) while <paramref name="walk"/> runs:
    /// HEAD, then its first parent, and so on, until the walk is done, a recorded commit comes, or
    /// <see cref="ReadWhileWalkingAtMost"/> are read. The walk must be whole before the oldest commit
    /// is known, and it takes one core for that long (srvos' 1,495 commits: some 20 ms); the newest
    /// commits, read meanwhile, are the ones the import would read last. Their reader stays open
    /// until they are finished (the caller disposes it). Reading stops at the first commit that
    /// cannot be read: the readers read it in its turn and meet the same error there.
    /// </summary>
    private static (GitHistoryReader? Reader, Dictionary<string, Pending> Read) ReadWhileWalking(GitHistoryReader reader, Task walk, HashSet<string> recorded, string host, string actor, bool mayDefer)
    {
        var read = new Dictionary<string, Pending>(StringComparer.Ordinal);
        GitHistoryReader? own = null;
        try
        {
            own = reader.OpenAnother();
            for (var sha = own.Resolve("HEAD"); sha is not null && !walk.IsCompleted && read.Count < ReadWhileWalkingAtMost; sha = own.FirstParentOf(sha))
            {
                if (recorded.Contains(StreamKeys.Commit(host, reader.RepoKey, sha)))
                {
                    break;
                }

                read[sha] = Read(own, sha, host, actor, mayDefer);
            }
        }
#pragma warning disable CA1031 // Reading ahead is only a head start: whatever stops it, the readers read those commits in their turn.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return (own, read);
    }

    /// <summary>
    /// Finishes the chunks read and not finished yet, oldest first, on the calling reader's thread.
    /// Every reader does this before it reads another chunk and before it stops, so no chunk read
    /// is left unfinished.
    /// </summary>
    private static void FinishRead(ConcurrentQueue<(Pending[] Read, TaskCompletionSource<Item[]> Slot)> unfinished)
    {
        while (unfinished.TryDequeue(out var chunk))
        {
            try
            {
                chunk.Slot.TrySetResult(Finish(chunk.Read));
            }
            catch (Exception e)
            {
                // The appender records the chunks before this one, then fails here.
                chunk.Slot.TrySetException(e);
            }
        }
    }

    /// <summary>A chunk's commits redacted into their events and serialised: no repository needed, so any reader can finish any chunk.</summary>
    private static Item[] Finish(Pending[] chunk) =>
        chunk.Select(p =>
        {
            if (p.Edit is not { } edit)
            {
                return new Item(null, p.Deferred);
            }

            var e = CommitRecorder.Event(edit.Finish());
            _ = e.Utf8Json;
            return new Item(e, null);
        }).ToArray();

    public static Task<ImportResult> RunAsync(LedgerStore store, GitHistoryReader reader, string host, string actor, IProgress<(int Done, int Total)>? progress, CancellationToken ct) =>
        RunAsync(store.Appender, reader, host, actor, progress, null, ct);

    /// <summary>
    /// Records the commits not recorded yet. A commit this process cannot read (compiled ahead of
    /// time, it cannot take LibGit2Sharp's per-line callbacks) is handed to
    /// <paramref name="recordElsewhere"/> in its place in history, once the commits before it
    /// are stored; it returns whether it recorded the commit (rather than finding it recorded) and
    /// what the commit was recorded without, if anything. Without it, such a commit fails the import.
    /// </summary>
    public static Task<ImportResult> RunAsync(EventAppender store, GitHistoryReader reader, string host, string actor, IProgress<(int Done, int Total)>? progress, Func<string, CancellationToken, Task<(bool Recorded, string? Incomplete)>>? recordElsewhere, CancellationToken ct) =>
        RunAsync(store, reader, host, actor, progress, recordElsewhere, null, ct);

    /// <summary>
    /// <see cref="RunAsync(EventAppender, GitHistoryReader, string, string, IProgress{ValueTuple{int, int}}?, Func{string, CancellationToken, Task{ValueTuple{bool, string}}}?, CancellationToken)"/>
    /// with the walk taken as lasting until <paramref name="walkLastsAtLeast"/> ends too (tests: a
    /// small history is walked before a commit could be read ahead).
    /// </summary>
    internal static async Task<ImportResult> RunAsync(EventAppender store, GitHistoryReader reader, string host, string actor, IProgress<(int Done, int Total)>? progress, Func<string, CancellationToken, Task<(bool Recorded, string? Incomplete)>>? recordElsewhere, Task? walkLastsAtLeast, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        reader.ReadsManyCommits = true;
        // The history is walked (libgit2) while the recorded commits are read (the database).
        var walk = reader.CommitsFromHeadAsync();
        var existing = await store.StreamKeysAsync(StreamKeys.CommitPrefix(host, reader.RepoKey), ct);

        // The walk takes one core; the other reads the newest commits meanwhile (below).
        Task walking = walkLastsAtLeast is null ? walk : Task.WhenAll(walk, walkLastsAtLeast);
        var early = Task.Run(() => ReadWhileWalking(reader, walking, existing, host, actor, recordElsewhere is not null), CancellationToken.None);
        IReadOnlyList<string> commits;
        try
        {
            await walking;
            commits = await walk;
        }
        catch
        {
            (await early).Reader?.Dispose();
            throw;
        }

        var (earlyReader, earlyRead) = await early;
        using var earlyHandle = earlyReader;
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
        var slots = chunks.Select(_ => new TaskCompletionSource<Item[]>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var ahead = new SemaphoreSlim(ReadersAhead(chunks.Length));
        var unfinished = new ConcurrentQueue<(Pending[] Read, TaskCompletionSource<Item[]> Slot)>();
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
                        // The chunks read and not yet finished come before another chunk is read:
                        // the appender (and PostgreSQL behind it) waits for the oldest of them. On
                        // the thread pool they waited until the readers ran out of room ahead (the
                        // pool is as large as the readers), and PostgreSQL started 200 ms into
                        // srvos' import instead of 100 ms.
                        FinishRead(unfinished);

                        // Room first, then the next chunk: the chunk the appender waits for always has room.
                        await ahead.WaitAsync(stop.Token);
                        reading = Interlocked.Increment(ref next);
                        if (reading >= chunks.Length)
                        {
                            break;
                        }

                        var read = chunks[reading].Select(sha => earlyRead.TryGetValue(sha, out var done) ? done : Read(own, sha, host, actor, recordElsewhere is not null)).ToArray();

                        unfinished.Enqueue((read, slots[reading]));
                        reading = -1;
                    }

                    FinishRead(unfinished);
                }
                catch (Exception e)
                {
                    if (!stop.IsCancellationRequested)
                    {
                        // What was read before goes on to the appender, as far as it is whole.
                        FinishRead(unfinished);
                    }

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
        var cursor = new Cursor();

        // The events in history order, up to the next commit to be recorded elsewhere.
        async IAsyncEnumerable<NewEvent> UntilDeferred()
        {
            for (; cursor.Slot < slots.Length; cursor.Slot++, cursor.Item = 0)
            {
                var items = await slots[cursor.Slot].Task.WaitAsync(ct);
                while (cursor.Item < items.Length)
                {
                    var item = items[cursor.Item++];
                    if (item.Deferred is { } sha)
                    {
                        cursor.Deferred = sha;
                        yield break;
                    }

                    if (item.Event!.Event is ConfigEdited { Incomplete: { } reason } edit)
                    {
                        incomplete.Add((edit.Sha, reason));
                    }

                    yield return item.Event;
                }

                // The chunk's task keeps its result: let go of the events, or the whole history stays in memory.
                Array.Clear(items);
                ahead.Release();
            }
        }

        int recorded = 0;
        try
        {
            while (true)
            {
                cursor.Deferred = null;
                var before = recorded;
                recorded += await store.StartStreamsAsync(
                    UntilDeferred(),
                    batchSize: AppendBatch,
                    progress: progress is null ? null : new Progress<int>(n => progress.Report((before + n, todo.Count))),
                    ct: ct);
                if (cursor.Deferred is not { } deferred)
                {
                    break;
                }

                var (elsewhere, missing) = await recordElsewhere!(deferred, ct);
                recorded += elsewhere ? 1 : 0;
                if (missing is not null)
                {
                    incomplete.Add((deferred, missing));
                }

                progress?.Report((recorded, todo.Count));
            }
        }
        finally
        {
            // When appending fails, the readers must not wait forever for room ahead.
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }

        return new ImportResult(reader.RepoKey, commits.Count, recorded, commits.Count - recorded, started.Elapsed, vanished, incomplete) { ReadWhileWalking = earlyRead.Count };
    }

    /// <summary>The import's one-line summary, as <c>ledger import-git</c> prints it (and logs it).</summary>
    public static Task SummaryAsync(ImportResult result, TextWriter output, Serilog.ILogger log)
    {
        log.Information("Imported {Repo}: {Recorded} recorded, {Skipped} skipped in {Elapsed}", result.Repo, result.Recorded, result.Skipped, result.Elapsed);
        return output.WriteLineAsync(
            $"{result.Repo}: {Plural.Of(result.Reachable, "commit")} reachable from HEAD; {result.Recorded} recorded, {result.Skipped} already recorded (skipped) in {result.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>What the import warns about: commits recorded earlier that HEAD no longer reaches, and commits recorded without part of their content.</summary>
    public static async Task WarningsAsync(ImportResult result, TextWriter error, Serilog.ILogger log)
    {
        if (result.Vanished.Count > 0)
        {
            // Recorded history is never deleted: say plainly that the branch no longer has it.
            log.Warning("{Count} recorded commits of {Repo} are no longer reachable from HEAD", result.Vanished.Count, result.Repo);
            await error.WriteLineAsync(
                $"warning: {result.Vanished.Count} commit(s) recorded earlier are no longer reachable from HEAD: the history was rewritten (reset, rebase or force-push). " +
                $"They stay in the ledger. First ones: {string.Join(", ", result.Vanished.Take(5).Select(EventCatalogue.ShortSha))}");
        }

        if (result.Incomplete.Count > 0)
        {
            // Recorded all the same: the import goes on and exits 0, but names what it could not read.
            log.Warning("{Count} commits of {Repo} were recorded without part of their content", result.Incomplete.Count, result.Repo);
            await error.WriteLineAsync(
                $"warning: {result.Incomplete.Count} commit(s) were recorded without part of their content (see 'incomplete' in ledger show); 'git -C {result.Repo} fsck' checks the repository:");
            foreach (var (sha, reason) in result.Incomplete.Take(20))
            {
                await error.WriteLineAsync($"  {EventCatalogue.ShortSha(sha)}: {reason}");
            }

            if (result.Incomplete.Count > 20)
            {
                await error.WriteLineAsync($"  ... and {result.Incomplete.Count - 20} more");
            }
        }
    }
}
