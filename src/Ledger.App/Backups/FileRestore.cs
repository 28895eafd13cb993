using System.Security.Cryptography;
using Ledger.App.Recording;
using Ledger.Capture.Files;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Backups;

/// <summary>Puts a backed-up file back, byte for byte with its mode, after backing up the content it replaces.</summary>
internal static class FileRestore
{
    /// <summary>
    /// What a restore did: <paramref name="Restored"/> is the file_restored event's seq, or null when
    /// the destination already had the backup's content; <paramref name="Previous"/> is the backup
    /// of the content it replaced.
    /// </summary>
    public sealed record Outcome(long BackupSeq, BackupTaken Backup, long? Restored, long? Previous, Recorded Recorded);

    /// <summary>Refuses a destination that cannot be written as a file, before anything is opened.</summary>
    public static void CheckDestination(string dest)
    {
        if (Directory.Exists(dest))
        {
            throw new LedgerException($"{dest} is a directory; give --to the path of the file to write.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(dest)))
        {
            throw new LedgerException($"The folder of {dest} does not exist; create it first or choose another --to.");
        }
    }

    /// <summary>Restores the latest backup of <paramref name="source"/> (at or before <paramref name="atSeq"/>) to <paramref name="dest"/>.</summary>
    public static async Task<Outcome> RestoreAsync(LedgerStore store, string source, string dest, long? atSeq, string host, string actor, CancellationToken ct)
    {
        var entry = await store.LatestAsync(typeof(BackupTaken), host, "path", source, atSeq, ct)
            ?? throw new LedgerException(atSeq is { } s
                ? $"There is no backup of {source} on host {host} at or before #{s}. List backups with: ledger timeline --kind backup --grep {Path.GetFileName(source)}"
                : $"There is no backup of {source} on host {host}. List backups with: ledger timeline --kind backup");
        var backup = (BackupTaken)entry.Data;
        var recorded = new Recorded();

        // The current content goes into the ledger first, so the restore itself can be undone.
        string? previousSha = null;
        long? previousSeq = null;
        if (File.Exists(dest))
        {
            var current = await FileFingerprint.ReadAsync(dest, long.MaxValue, ct);
            previousSha = current.Sha256;
            if (current.Sha256 == backup.Sha256 && (backup.UnixMode is null || current.UnixMode == backup.UnixMode))
            {
                return new Outcome(entry.Seq, backup, null, null, recorded);
            }

            var (seq, isNew) = await FileBackup.BackupAsync(store, current, host, actor, $"before restore-file from #{entry.Seq}", null, ct);
            previousSeq = seq;
            if (isNew)
            {
                await recorded.AddAsync(store, seq, ct);
            }
        }

        try
        {
            await WriteAtomicallyAsync(store, backup, dest, ct);
        }
        catch (IOException e)
        {
            // A full disk (or a read-only one) fails the temporary file; the target is untouched.
            throw new LedgerException(
                $"Could not write {dest}: {e.Message} The file is unchanged (the restore writes a temporary copy first); free space or choose another --to, then run it again.",
                ExitCodes.Failure,
                e);
        }

        var restored = await store.AppendAsync(
            new NewEvent(StreamKeys.FileRestores(host), new FileRestored(host, actor, source, dest, entry.Seq, backup.Sha256, previousSha, previousSeq)),
            ct);
        await recorded.AddAsync(store, restored, ct);
        return new Outcome(entry.Seq, backup, restored, previousSeq, recorded);
    }

    /// <summary>
    /// Writes to a temporary file beside the destination, checks its hash, sets the mode, flushes
    /// it to disk and renames it over the destination: the destination is either the old file or
    /// the whole restored one, never half of it.
    /// </summary>
    private static async Task WriteAtomicallyAsync(LedgerStore store, BackupTaken backup, string dest, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(dest)!, $".{Path.GetFileName(dest)}.ledger-restore-{Environment.ProcessId}");
        try
        {
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                if (!await store.CopyBlobToAsync(backup.Sha256, output, ct))
                {
                    throw new LedgerException($"The content of this backup ({backup.Sha256}) is missing from the database; the ledger is damaged. Nothing was changed.", ExitCodes.Failure);
                }

                await output.FlushAsync(ct);
                output.Position = 0;
                var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(output, ct));
                if (hash != backup.Sha256)
                {
                    throw new LedgerException($"The stored content does not match its hash {backup.Sha256} (got {hash}); the ledger is damaged. Nothing was changed.", ExitCodes.Failure);
                }

                output.Flush(flushToDisk: true);
            }

            if (backup.UnixMode is { } mode)
            {
                File.SetUnixFileMode(temp, (UnixFileMode)mode);
            }

            File.Move(temp, dest, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
