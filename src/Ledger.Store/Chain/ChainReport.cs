namespace Ledger.Store.Chain;

/// <summary>What <c>ledger verify</c> found, problems in sequence order.</summary>
/// <param name="Head">The stored chain's head.</param>
/// <param name="Unsealed">Events after the head: not yet sealed, which is not a failure.</param>
/// <param name="Problems">Everything found wrong, the first broken sequence number first (at most <see cref="MaxProblems"/>).</param>
public sealed record ChainReport(ChainHead Head, long Unsealed, IReadOnlyList<ChainProblem> Problems)
{
    public const int MaxProblems = 100;

    public bool Intact => Problems.Count == 0;

    /// <summary>The first broken sequence number, or null when the chain is intact.</summary>
    public long? FirstBrokenSeq => Problems.Count > 0 ? Problems[0].Seq : null;
}
