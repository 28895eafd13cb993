namespace Ledger.App.Spool;

/// <summary>A spool file that could not be read back, where it was moved, and why.</summary>
internal sealed record RejectedFile(string File, string Reason);
