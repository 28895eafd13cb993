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
    /// <summary>
    /// Characters written at a time. The writer escapes a string into a buffer it rents for the
    /// worst case, six characters for each one: a patch of 256 Ki characters took a 4 MiB array
    /// (and its UTF-8 a 2 MiB one), large objects that only a full collection frees, so an import's
    /// memory grew with the large patches it met (issue 19). In segments the same JSON is written
    /// through buffers of a few tens of KiB, reused.
    /// </summary>
    internal const int SegmentChars = 4096;

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (value.Length <= SegmentChars)
        {
            writer.WriteStringValue(StoredText.Storable(value));
            return;
        }

        Span<char> storable = stackalloc char[SegmentChars];
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            // A surrogate pair cut between two segments is joined again by the writer.
            var length = Math.Min(SegmentChars, rest.Length);
            scoped ReadOnlySpan<char> segment = rest[..length];
            if (segment.Contains('\0'))
            {
                segment.Replace(storable, '\0', StoredText.NulSymbol);
                segment = storable[..length];
            }

            rest = rest[length..];
            writer.WriteStringValueSegment(segment, isFinalSegment: rest.IsEmpty);
        }
    }
}
