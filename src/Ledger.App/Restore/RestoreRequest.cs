namespace Ledger.App.Restore;

/// <summary>The choices of one restore: how to switch, why, and whether to stash and validate.</summary>
internal sealed record RestoreRequest(string Via, string? Reason, bool Stash, bool Automatic, bool Validate, string? Flake);
