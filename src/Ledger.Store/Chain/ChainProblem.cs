namespace Ledger.Store.Chain;

/// <summary>One thing wrong with the chain, at one sequence number, said for a person.</summary>
public sealed record ChainProblem(long Seq, ChainProblemKind Kind, string Message);
