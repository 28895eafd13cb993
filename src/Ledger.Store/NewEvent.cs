using System.Text.Json;

namespace Ledger.Store;

/// <summary>An event to append to a stream, with the time it happened when that is not "now".</summary>
public sealed record NewEvent(string StreamKey, ILedgerEvent Event, DateTimeOffset? OccurredAt = null)
{
    private string? _json;

    /// <summary>
    /// The event as stored (<see cref="EventJson"/>), serialised once, on first use: a producer
    /// thread can pay for it (an import's readers do) instead of the thread that appends.
    /// </summary>
    public string Json => _json ??= JsonSerializer.Serialize(Event, EventJson.Options.GetTypeInfo(Event.GetType()));

    /// <summary>
    /// An event whose stored JSON was written before (a spooled one): appended with exactly that
    /// JSON, so that what is delivered later is what would have been stored at the time.
    /// </summary>
    public static NewEvent Serialised(string streamKey, ILedgerEvent e, DateTimeOffset? occurredAt, string json) =>
        new(streamKey, e, occurredAt) { _json = json };
}
