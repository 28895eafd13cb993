using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ledger.Core.Events;

/// <summary>
/// The one JSON shape of events: camelCase properties and enums as strings. Marten stores events
/// with these options and the CLI prints them with them, so what you see is what is stored.
/// Every string goes through <see cref="StoredText"/> (the redactor) on its way out.
/// </summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    // Compiled ahead of time (ledger-hook), events are written from EventJsonContext's generated
    // metadata: the reflection resolver is the fallback for types outside it, which the hook never
    // serialises, and the enum converter's instances for the events' enums are compiled in.
    // StandaloneHookSpecs compares what the hook stores with what ledger stores, byte for byte.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Events come from EventJsonContext; see above.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Events come from EventJsonContext; see above.")]
    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(EventJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new StoredText());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
