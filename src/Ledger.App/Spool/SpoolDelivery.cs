using Ledger.Core.Events;
using Ledger.Store;
using Ledger.Store.Spool;
using Serilog;

namespace Ledger.App.Spool;

/// <summary>
/// Delivers the spool (<see cref="EventSpool"/>): oldest first, one event at a time, each
/// appended with its own stream key, JSON and time, and its file removed only after the append
/// committed. An event whose stream exists already (delivered just before a crash, or recorded
/// meanwhile another way) is not stored twice. The first failure stops the delivery, so that
/// what is left stays in order; a file that cannot be read back is set aside in
/// <c>rejected/</c> with the reason, never dropped. The spool's lock keeps two processes (the
/// daemon and <c>ledger sync</c>) from delivering at once.
/// </summary>
internal static class SpoolDelivery
{
    /// <summary>How long <c>record commit</c> waits for another process's delivery before spooling its commit behind it.</summary>
    public static readonly TimeSpan HookLockWait = TimeSpan.FromSeconds(5);

    /// <summary>How long <c>ledger sync</c> and the daemon wait for another process's delivery.</summary>
    public static readonly TimeSpan SyncLockWait = TimeSpan.FromSeconds(60);

    /// <param name="append">Appends one event that starts its stream: true when stored now, false when its stream existed.</param>
    public static async Task<DeliveryReport> DeliverAsync(EventSpool spool, Func<NewEvent, CancellationToken, Task<bool>> append, TimeSpan lockWait, ILogger log, CancellationToken ct)
    {
        using var held = await spool.TryLockAsync(lockWait, ct);
        if (held is null)
        {
            return new DeliveryReport(0, 0, [], spool.Pending().Count, Busy: true);
        }

        spool.RemoveAbandoned(DateTimeOffset.UtcNow);
        int delivered = 0, already = 0;
        var rejected = new List<RejectedFile>();

        // Listed again after each pass: an event spooled while this one delivers (a commit that
        // found the lock taken) is delivered by it too, after the ones before it.
        for (var pending = spool.Pending(); pending.Count > 0; pending = spool.Pending())
        {
            foreach (var file in pending)
            {
                SpooledEvent spooled;
                try
                {
                    spooled = EventSpool.Read(file);
                }
                catch (SpoolFormatException e)
                {
                    var to = spool.Reject(file, e.Message);
                    log.Warning("Spool: {File} cannot be read back, moved to {To}: {Reason}", file, to, e.Message);
                    rejected.Add(new RejectedFile(to, e.Message));
                    continue;
                }

                bool stored;
                try
                {
                    stored = await append(spooled.Event, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.Warning("Spool: delivery stopped at {File}: {Message}", file, e.Message);
                    return new DeliveryReport(delivered, already, rejected, spool.Pending().Count, e, file);
                }

                spool.Remove(file);
                if (stored)
                {
                    delivered++;
                    log.Information("Spool: delivered {Type} {StreamKey} (spooled {SpooledAt:u})", EventCatalogue.Describe(spooled.Event.Event.GetType()).Alias, spooled.Event.StreamKey, spooled.SpooledAt);
                }
                else
                {
                    already++;
                    log.Information("Spool: {StreamKey} was stored already; its file is removed", spooled.Event.StreamKey);
                }
            }
        }

        return new DeliveryReport(delivered, already, rejected, 0);
    }

    /// <summary>
    /// Delivers through an open store (<c>ledger sync</c>, the daemon): a database that cannot be
    /// reached is found by one ping, before any file is touched, rather than by waiting out retries.
    /// </summary>
    public static async Task<DeliveryReport> DeliverAsync(EventSpool spool, LedgerStore store, TimeSpan lockWait, ILogger log, CancellationToken ct)
    {
        if (!spool.HasPending)
        {
            return new DeliveryReport(0, 0, [], 0);
        }

        try
        {
            await store.Stats.PingAsync(ct);
        }
        catch (Exception e) when (DatabaseErrors.IsUnreachable(e))
        {
            return new DeliveryReport(0, 0, [], spool.Pending().Count, e);
        }

        return await DeliverAsync(spool, async (e, c) => await store.Appender.StartStreamsAsync([e], ct: c) == 1, lockWait, log, ct);
    }
}
