namespace Ledger.Store;

// The free-text index as the store drives it: catching up, its backlog, and the lazy catch-up before a search.
public sealed partial class LedgerStore
{
    /// <summary>A search that finds more events than this waiting for the text index indexes them first.</summary>
    internal long TextIndexLazyThreshold { get; set; } = 5_000;

    /// <summary>When a search may next try to catch the text index up (Environment.TickCount64).</summary>
    private long _nextLazyCatchUp;

    /// <summary>How long catching up waits for running transactions before it stops at a hole in the sequence numbers.</summary>
    private static readonly TimeSpan TextIndexSettle = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Copies the events recorded since the last time into the free-text index (the daemon does
    /// this every minute; appends never wait for it). Returns how many events were indexed.
    /// </summary>
    public Task<int> CatchUpTextIndexAsync(CancellationToken ct = default) =>
        RetryAsync("indexing events for text search", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            return await TextIndex.CatchUpAsync(conn, TextIndexSettle, ct);
        }, ct);

    /// <summary>How many non-snapshot events wait for the free-text index (searches read them directly meanwhile).</summary>
    public Task<long> TextIndexBacklogAsync(CancellationToken ct = default) =>
        RetryAsync("reading the text index's state", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            return await TextIndex.BacklogAsync(conn, long.MaxValue, ct);
        }, ct);

    /// <summary>
    /// Without a daemon nothing else indexes: a search that would read many events directly
    /// indexes them first, once. A role that may only read searches without indexing.
    /// </summary>
    private async Task CatchUpTextIndexIfBehindAsync(CancellationToken ct)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _nextLazyCatchUp))
        {
            return;
        }

        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        if (await TextIndex.BacklogAsync(conn, TextIndexLazyThreshold + 1, ct) <= TextIndexLazyThreshold)
        {
            return;
        }

        try
        {
            await TextIndex.CatchUpAsync(conn, TextIndexSettle, ct);
            if (await TextIndex.BacklogAsync(conn, TextIndexLazyThreshold + 1, ct) > TextIndexLazyThreshold)
            {
                // Held at a hole by a transaction that did not end: do not make every search wait for it.
                Interlocked.Exchange(ref _nextLazyCatchUp, Environment.TickCount64 + 60_000);
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ReadOnlySqlTransaction)
        {
            // Searched directly instead; the daemon or a writer's search will index them.
            Interlocked.Exchange(ref _nextLazyCatchUp, long.MaxValue);
        }
    }
}
