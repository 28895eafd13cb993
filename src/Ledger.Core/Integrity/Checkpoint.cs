using System.Globalization;
using System.Text;
using System.Text.Json;
using Ledger.Core.Errors;

namespace Ledger.Core.Integrity;

/// <summary>
/// The head of the hash chain at one moment, to be kept away from the database: a later
/// <c>ledger verify --checkpoint</c> proves that the chain still holds <see cref="Seq"/> with
/// <see cref="Hash"/>, so its history up to there was neither rewritten nor cut off.
/// </summary>
/// <param name="Seq">The sequence number of the last sealed event (0: nothing sealed yet).</param>
/// <param name="Hash">The chain hash at <paramref name="Seq"/>, lower-case hex.</param>
/// <param name="Events">How many events the chain held up to and including <paramref name="Seq"/>.</param>
/// <param name="Time">When the checkpoint was taken (ISO 8601, UTC); kept as written because it is signed.</param>
public sealed record Checkpoint(long Seq, string Hash, long Events, string Time)
{
    public const string FormatName = "ledger-checkpoint-v1";

    public CheckpointSignature? Signature { get; init; }

    /// <summary>What the signature covers: every field but the signature, one per line.</summary>
    public byte[] SignedBytes() =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{FormatName}\nseq={Seq}\nhash={Hash}\nevents={Events}\ntime={Time}\n"));

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("seq", Seq);
            w.WriteString("hash", Hash);
            w.WriteNumber("events", Events);
            w.WriteString("time", Time);
            if (Signature is { } s)
            {
                w.WriteStartObject("signature");
                w.WriteString("algorithm", s.Algorithm);
                w.WriteString("publicKey", s.PublicKey);
                w.WriteString("value", s.Value);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Reads a checkpoint file's text; a file that is not one is a usage error that names <paramref name="source"/>.</summary>
    public static Checkpoint Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (Text(root, "format") != FormatName)
            {
                throw Bad($"its format is not {FormatName}");
            }

            var hash = Text(root, "hash");
            if (!IsHex(hash, ChainHash.Size))
            {
                throw Bad("its hash is not 64 hex digits");
            }

            var checkpoint = new Checkpoint(Number(root, "seq"), hash.ToLowerInvariant(), Number(root, "events"), Text(root, "time"));
            if (root.TryGetProperty("signature", out var sig) && sig.ValueKind != JsonValueKind.Null)
            {
                checkpoint = checkpoint with
                {
                    Signature = new CheckpointSignature(Text(sig, "algorithm"), Text(sig, "publicKey").ToLowerInvariant(), Text(sig, "value").ToLowerInvariant()),
                };
            }

            return checkpoint;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw Bad(e.Message);
        }

        LedgerException Bad(string why) =>
            new($"{source} is not a Ledger checkpoint ({why}). Pass a file written by 'ledger checkpoint --out'.");
    }

    /// <summary>Whether <paramref name="text"/> is exactly <paramref name="bytes"/> bytes of hex.</summary>
    public static bool IsHex(string text, int bytes) =>
        text.Length == bytes * 2 && text.All(char.IsAsciiHexDigit);

    private static string Text(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static long Number(JsonElement e, string name)
    {
        var n = e.GetProperty(name).GetInt64();
        return n >= 0 ? n : throw new FormatException($"'{name}' is negative");
    }
}
