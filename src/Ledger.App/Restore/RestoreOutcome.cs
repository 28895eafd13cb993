namespace Ledger.App.Restore;

/// <summary>How a restore ended.</summary>
internal sealed record RestoreOutcome(bool Succeeded, string RestoreId, string? NewCommit, string Message);
