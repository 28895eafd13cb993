using System.Security.Cryptography;

namespace Ledger.Capture.Files;

/// <summary>A regular file's SHA-256, size and permission bits, read by streaming it once.</summary>
public sealed record FileFingerprint(string Path, string Sha256, long SizeBytes, int UnixMode)
{
    /// <summary>Reads <paramref name="path"/>; refuses what is not a regular file or is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<FileFingerprint> ReadAsync(string path, long maxBytes, CancellationToken ct = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new CaptureException(Directory.Exists(full)
                ? $"{full} is a directory; back up the files in it (e.g. ledger backup {full}/*.nix)."
                : $"{full} does not exist.");
        }

        if (info.Length > maxBytes)
        {
            throw new CaptureException(
                $"{full} is {info.Length} bytes, over the backup size limit of {maxBytes} bytes. Raise it with --max-size BYTES if this file belongs in the ledger.");
        }

        using var sha = SHA256.Create();
        await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var hash = await sha.ComputeHashAsync(stream, ct);
        return new FileFingerprint(full, Convert.ToHexStringLower(hash), stream.Length, (int)File.GetUnixFileMode(full));
    }
}
