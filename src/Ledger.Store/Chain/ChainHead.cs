namespace Ledger.Store.Chain;

/// <summary>The last chain row: its sequence number, its hash (hex) and how many rows the chain holds.</summary>
public sealed record ChainHead(long Seq, string Hash, long Events);
