using Ledger.App.Recording;
using Ledger.Capture.Files;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;

namespace Ledger.App.Backups;

/// <summary>Backs files up into the ledger: their content once per SHA-256, a backup event per changed file.</summary>
internal static class FileBackup
{
    /// <summary>Files larger than this are refused unless the caller gives another limit.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>One file of a backup run: recorded now as <paramref name="Seq"/>, or unchanged since backup <paramref name="Seq"/>.</summary>
    public sealed record Outcome(FileFingerprint File, long Seq, bool IsNew);

    /// <summary>Reads every file before anything is stored, so a bad path among several is reported first.</summary>
    public static async Task<IReadOnlyList<FileFingerprint>> ReadAllAsync(IEnumerable<string> paths, long maxBytes, CancellationToken ct)
    {
        var files = new List<FileFingerprint>();
        foreach (var p in paths)
        {
            files.Add(await FileFingerprint.ReadAsync(p, maxBytes, ct));
        }

        return files;
    }

    /// <summary>
    /// Backs up files read by <see cref="ReadAllAsync"/>; the commit in effect is
    /// <paramref name="repo"/>'s HEAD, if any. <paramref name="done"/> hears of each file as soon
    /// as it is stored, so a failure later in the run still leaves the earlier ones reported.
    /// </summary>
    public static async Task<Recorded> BackupAllAsync(
        LedgerStore store, IReadOnlyList<FileFingerprint> files, string repo, string host, string actor, string? reason, Func<Outcome, Task> done, CancellationToken ct)
    {
        var commit = ConfigCommit.TryHead(repo);
        var why = reason is null ? null : Redactor.Default.Redact(reason);
        var recorded = new Recorded();
        foreach (var f in files)
        {
            var (seq, isNew) = await BackupAsync(store, f, host, actor, why, commit, ct);
            if (isNew)
            {
                await recorded.AddAsync(store, seq, ct);
            }

            await done(new Outcome(f, seq, isNew));
        }

        return recorded;
    }

    /// <summary>Stores the content (if new) and records the backup (if this content of this path is new). Returns the backup's seq.</summary>
    public static async Task<(long Seq, bool IsNew)> BackupAsync(LedgerStore store, FileFingerprint f, string host, string actor, string? reason, string? commit, CancellationToken ct)
    {
        var key = StreamKeys.Backup(host, f.Path, f.Sha256);
        if (await store.StreamExistsAsync(key, ct))
        {
            return (await store.FirstSeqOfStreamAsync(key, ct), false);
        }

        // Content and event go in together: a failure (a full disk on the database side) stores neither.
        var e = new BackupTaken(host, actor, f.Path, f.Sha256, f.SizeBytes, reason, commit, f.UnixMode);
        long? seq;
        try
        {
            seq = await store.RecordBackupAsync(
                new NewEvent(key, e),
                f.Sha256,
                f.SizeBytes,
                () => new FileStream(f.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true),
                ct);
        }
        catch (Exception ex) when (DatabaseErrors.DiskFull(ex) is { } full)
        {
            throw new StoreException(
                $"The database server's disk is full: storing the backup of {f.Path} ({f.SizeBytes} bytes) failed ({full.MessageText}). " +
                "Nothing of this backup was stored (content and event are one transaction, rolled back); backups listed above it were stored. " +
                "Free space on the disk that holds the PostgreSQL data directory (or the tablespace in the message), then run 'ledger backup' again.",
                ExitCodes.DatabaseFull,
                ex);
        }

        return seq is { } s ? (s, true) : (await store.FirstSeqOfStreamAsync(key, ct), false);
    }
}
