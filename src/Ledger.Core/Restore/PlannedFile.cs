namespace Ledger.Core.Restore;

/// <summary>A file that a restore changes, seen from the current tree to the target tree.</summary>
public sealed record PlannedFile(string Path, string? OldPath, string Change, int LinesAdded, int LinesRemoved, bool Binary);
