using System.Text.Json;

namespace Ledger.Store.Spool;

/// <summary>
/// One spooled event as its file holds it (docs/operations.md, "The spool"): the format version,
/// the stream key it starts, the stored type alias, the event's JSON as <see cref="EventJson"/>
/// wrote it, when it happened, the host it is about, when and why it was spooled.
/// </summary>
internal sealed record SpoolEntry(
    int Format,
    string StreamKey,
    string Type,
    DateTimeOffset OccurredAt,
    string Host,
    DateTimeOffset SpooledAt,
    string Reason,
    JsonElement Event);
