namespace Ledger.Core.Events;

/// <summary>
/// A file's content was stored, deduplicated by its SHA-256 (the content itself lives in a
/// content-addressed table so that re-backing-up the same bytes records nothing new).
/// </summary>
public sealed record BackupTaken(
    string Host,
    string Actor,
    string Path,
    string Sha256,
    long SizeBytes,
    string? Reason,
    string? ConfigCommit) : ILedgerEvent;
