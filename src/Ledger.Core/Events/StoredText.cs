using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Core.Text;

namespace Ledger.Core.Events;

/// <summary>
/// How every string of an event is written: through the redactor, with NUL characters (which
/// PostgreSQL's jsonb cannot hold, SQLSTATE 22P05) made visible as U+2400. Registered in
/// <see cref="EventJson"/> and in Marten's serializer, so no path that appends or prints an event
/// (purpose, notes, reasons, deploy messages, alert labels, command output) can skip it.
/// </summary>
public sealed class StoredText : JsonConverter<string>
{
    /// <summary>What a NUL character becomes: "SYMBOL FOR NULL", visible and storable.</summary>
    public const char NulSymbol = '\u2400';

    public override bool HandleNull => false;

    /// <summary>Makes a text storable in jsonb and text columns (no NUL).</summary>
    public static string Storable(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', NulSymbol) : text;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Redactor.Default.Redact(Storable(value)));

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString()!;

    // Keys (alert label names, mount points) are names, not values: only made storable.
    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(Storable(value));
}
