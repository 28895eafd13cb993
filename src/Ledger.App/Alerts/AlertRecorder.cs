using Ledger.Core.Alerts;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;

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
    public static async Task<AlertsRecorded> RecordAsync(LedgerStore store, ReadOnlyMemory<byte> body, string host, string actor, CancellationToken ct)
    {
        var alerts = AlertmanagerPayload.Parse(body);
        var facts = AlertFacts.From(alerts, host, actor, Redactor.Default);
        ct.ThrowIfCancellationRequested();
        var recorded = await store.StartStreamsAsync(facts.Select(f => new NewEvent(f.StreamKey, f.Event)), ct: CancellationToken.None);
        var names = facts.Select(f => f.Event switch
        {
            AlertFired a => $"{a.AlertName} firing",
            AlertResolved r => $"{r.AlertName} resolved",
            _ => f.Event.GetType().Name,
        });
        return new AlertsRecorded(recorded, facts.Count - recorded, string.Join(", ", names));
    }
}

/// <summary>How many alert events were new, how many were repeats, and which alerts they were (for the log).</summary>
internal sealed record AlertsRecorded(int Recorded, int Duplicates, string Alerts);
