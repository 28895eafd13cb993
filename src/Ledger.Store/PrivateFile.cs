using Ledger.Core.Errors;

namespace Ledger.Store;

/// <summary>A new file only its owner may read (a private key, a host's connection string): written whole or not at all, never over another.</summary>
public static class PrivateFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>, mode 0600, through a temporary
    /// file beside it that is renamed into place; exit 2 when the path exists or cannot be written.
    /// </summary>
    /// <param name="what">What the file holds, for messages ("a key", "a connection string").</param>
    public static void WriteNew(string path, ReadOnlySpan<byte> content, string what)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new LedgerException($"{path} already exists; {what} is never overwritten. Choose another file or move the old one away first.", ExitCodes.UsageOrEnvironment);
        }

        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw File.Exists(full)
                ? new LedgerException($"{path} already exists; {what} is never overwritten. Choose another file or move the old one away first.", ExitCodes.UsageOrEnvironment, e)
                : new LedgerException($"Cannot write {what} to {path}: {e.Message}", ExitCodes.UsageOrEnvironment, e);
        }
    }
}
