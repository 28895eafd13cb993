using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Core.Timeline;

namespace Ledger.App.Recording;

/// <summary>The documented JSON shape of an event in listings (docs/events.md).</summary>
internal static class EntryJson
{
    public static object Shape(TimelineEntry e) => new
    {
        seq = e.Seq,
        timestamp = e.Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
        host = e.Host,
        actor = e.Actor,
        kind = e.Kind,
        type = e.Type,
        title = e.Title,
        data = e.Data,
    };

    public static string Serialize(TimelineEntry e, bool indented) =>
        JsonSerializer.Serialize(Shape(e), indented ? EventJson.Indented : EventJson.Options);
}
