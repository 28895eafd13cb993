using Ledger.Core.Alerts;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Spool;

namespace Ledger.App.Alerts;

/// <summary>
/// Records what Alertmanager posts (payload version 4): the whole body is checked before anything
/// is appended (<see cref="AlertPayloadException"/> names the first problem), then one
/// <c>alert_fired</c> or <c>alert_resolved</c> per alert is appended in one transaction. A repeat
/// of an alert already recorded (same host, fingerprint, startsAt and status) collides on its
/// stream key and counts as a duplicate, so a retry never records twice.
/// </summary>
internal static class AlertRecorder
{
    /// <param name="host">The host that alerts naming a loopback instance (or no host) are about.</param>
    /// <param name="ct">Not passed to the append: once it starts it finishes, so an answer can follow the commit.</param>
    /// <param name="spool">Where the alerts wait when the database cannot be reached (each starts a stream of its own, so a repeat delivered later is still recorded once).</param>
    public static async Task<AlertsRecorded> RecordAsync(LedgerStore store, EventSpool spool, ReadOnlyMemory<byte> body, string host, string actor, CancellationToken ct)
    {
        var alerts = AlertmanagerPayload.Parse(body);
        var facts = AlertFacts.From(alerts, host, actor, Redactor.Default);
        ct.ThrowIfCancellationRequested();
        var events = facts.Select(f => new NewEvent(f.StreamKey, f.Event)).ToList();
        var names = string.Join(", ", facts.Select(f => f.Event switch
        {
            AlertFired a => $"{a.AlertName} firing",
            AlertResolved r => $"{r.AlertName} resolved",
            _ => f.Event.GetType().Name,
        }));

        // One ping finds a database that cannot be reached, rather than the store's retries
        // (Alertmanager would time out meanwhile); the alerts then wait in the spool, behind what
        // waits there already, and the spool schedule delivers them in that order.
        Exception? unreachable = null;
        try
        {
            await store.Stats.PingAsync(CancellationToken.None);
            if (!spool.HasPending)
            {
                var recorded = await store.StartStreamsAsync(events, ct: CancellationToken.None);
                return new AlertsRecorded(recorded, facts.Count - recorded, names);
            }
        }
        catch (Exception e) when (DatabaseErrors.IsUnreachable(e))
        {
            unreachable = e;
        }

        var why = unreachable is null ? "events spooled before wait to be delivered first" : $"the database at {store.Description} cannot be reached ({DatabaseErrors.DescribeUnreachable(unreachable)})";
        foreach (var e in events)
        {
            spool.Add(e, why, DateTimeOffset.UtcNow);
        }

        return new AlertsRecorded(0, 0, names, events.Count, why);
    }
}

/// <summary>How many alert events were new, how many were repeats, how many wait in the spool and why, and which alerts they were (for the log).</summary>
internal sealed record AlertsRecorded(int Recorded, int Duplicates, string Alerts, int Spooled = 0, string? SpooledWhy = null);
