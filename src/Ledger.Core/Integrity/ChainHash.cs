using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Core.Integrity;

/// <summary>
/// The hash chain over the event log: <c>h_n = SHA-256(h_{n-1} || canonical(event n))</c> with
/// <c>h_0</c> 32 zero bytes. The canonical form is seven fields in a fixed order (seq, stream,
/// version, type, timestamp, host, data), each written as its UTF-8 byte length (4 bytes,
/// big-endian) followed by the bytes. Numbers are decimal; the timestamp is UTC with exactly six
/// fractional digits (<c>2026-11-27T09:48:01.123456Z</c>), which is what PostgreSQL stores.
/// docs/events.md ("The hash chain") documents the same encoding for outside verifiers.
/// </summary>
public static class ChainHash
{
    public const int Size = 32;

    private static readonly byte[] GenesisBytes = new byte[Size];

    /// <summary><c>h_0</c>: what the first event is chained to.</summary>
    public static ReadOnlySpan<byte> Genesis => GenesisBytes;

    /// <summary>The canonical bytes of one event (without the previous hash).</summary>
    public static byte[] Canonical(ChainEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string[] fields =
        [
            entry.Seq.ToString(CultureInfo.InvariantCulture),
            entry.Stream,
            entry.Version.ToString(CultureInfo.InvariantCulture),
            entry.Type,
            FormatTimestamp(entry.Timestamp),
            entry.Host,
            entry.Data,
        ];

        var length = 0;
        foreach (var f in fields)
        {
            length += 4 + Encoding.UTF8.GetByteCount(f);
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var f in fields)
        {
            var n = Encoding.UTF8.GetBytes(f, 0, f.Length, bytes, at + 4);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), (uint)n);
            at += 4 + n;
        }

        return bytes;
    }

    /// <summary><c>h_n</c> from <c>h_{n-1}</c> and event n.</summary>
    public static byte[] Next(ReadOnlySpan<byte> previous, ChainEntry entry)
    {
        if (previous.Length != Size)
        {
            throw new ArgumentException($"A chain hash is {Size} bytes, not {previous.Length}.", nameof(previous));
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        sha.AppendData(Canonical(entry));
        return sha.GetHashAndReset();
    }

    /// <summary>UTC, microseconds: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lower-case hex, as hashes are shown and kept in checkpoints.</summary>
    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}
