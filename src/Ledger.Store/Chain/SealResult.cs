namespace Ledger.Store.Chain;

/// <summary>What one <c>ledger seal</c> did.</summary>
/// <param name="Sealed">Chain rows this call appended.</param>
/// <param name="Head">The chain's head afterwards.</param>
/// <param name="Unsealed">Events after the head that are still unsealed (appended meanwhile, or behind <paramref name="HeldSeq"/>).</param>
/// <param name="HeldSeq">A sequence number that a still-running transaction may hold: sealing stopped before it.</param>
public sealed record SealResult(long Sealed, ChainHead Head, long Unsealed, long? HeldSeq);
