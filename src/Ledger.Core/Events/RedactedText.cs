using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.Core.Events;

/// <summary>
/// For a string the capture already redacted as a whole (a patch, which is redacted before it is
/// cut at the size limit, so a key cut in half is still found): only made storable, not redacted
/// a second time, since a patch is most of an import's text.
/// </summary>
public sealed class RedactedText : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(StoredText.Storable(value));
}
