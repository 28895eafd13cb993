namespace Ledger.Core.Events;

/// <summary>
/// A file's content was stored, deduplicated by its SHA-256: the bytes live once in a
/// content-addressed table, and backing up the same content of the same path again records
/// nothing new. <see cref="UnixMode"/> holds the permission bits (e.g. 420 for 0644).
/// </summary>
public sealed record BackupTaken(
    string Host,
    string Actor,
    string Path,
    string Sha256,
    long SizeBytes,
    string? Reason,
    string? ConfigCommit,
    int? UnixMode = null) : ILedgerEvent;

/// <summary>
/// A backed-up file was written back (<c>ledger restore-file</c>): the content of backup
/// <see cref="FromSeq"/> now stands at <see cref="Destination"/>. <see cref="PreviousSha256"/>
/// is what was there before (itself backed up first), null when nothing was.
/// </summary>
public sealed record FileRestored(
    string Host,
    string Actor,
    string Path,
    string Destination,
    long FromSeq,
    string Sha256,
    string? PreviousSha256,
    long? PreviousBackupSeq) : ILedgerEvent;
