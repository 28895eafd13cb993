namespace Ledger.Store.Chain;

/// <summary>One row of <c>ledger_chain</c>.</summary>
internal sealed record ChainRow(long Seq, byte[] Hash);
