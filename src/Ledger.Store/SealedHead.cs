namespace Ledger.Store;

/// <summary>The last sealed event of the hash chain and when it was sealed.</summary>
public sealed record SealedHead(long Seq, DateTimeOffset SealedAt);
