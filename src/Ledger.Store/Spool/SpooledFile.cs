namespace Ledger.Store.Spool;

/// <summary>An event just written to the spool: its file, and how many events the spool holds now (this one included).</summary>
public sealed record SpooledFile(string File, int Events);
