using System.Text;
using System.Text.Json;

namespace Ledger.Store;

/// <summary>An event to append to a stream, with the time it happened when that is not "now".</summary>
public sealed record NewEvent(string StreamKey, ILedgerEvent Event, DateTimeOffset? OccurredAt = null)
{
    private string? _json;
    private byte[]? _utf8Json;

    /// <summary>
    /// The event as stored (<see cref="EventJson"/>), serialised once, on first use: a producer
    /// thread can pay for it (an import's readers do) instead of the thread that appends.
    /// </summary>
    public string Json => _json ??= _utf8Json is { } utf8 ? Encoding.UTF8.GetString(utf8) : JsonSerializer.Serialize(Event, EventJson.Options.GetTypeInfo(Event.GetType()));

    /// <summary>
    /// The same JSON as UTF-8, what a batch of appends sends (<see cref="EventAppender"/>): the
    /// serialiser writes UTF-8, and PostgreSQL reads it, so an event's JSON is neither held as
    /// UTF-16 (twice the memory, for every event an import has in flight) nor transcoded there
    /// and back (issue 19). Serialised once, on first use, like <see cref="Json"/>.
    /// </summary>
    public byte[] Utf8Json => _utf8Json ??= _json is { } json ? Encoding.UTF8.GetBytes(json) : JsonSerializer.SerializeToUtf8Bytes(Event, EventJson.Options.GetTypeInfo(Event.GetType()));

    /// <summary>
    /// An event whose stored JSON was written before (a spooled one): appended with exactly that
    /// JSON, so that what is delivered later is what would have been stored at the time.
    /// </summary>
    public static NewEvent Serialised(string streamKey, ILedgerEvent e, DateTimeOffset? occurredAt, string json) =>
        new(streamKey, e, occurredAt) { _json = json };
}
