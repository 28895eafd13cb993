namespace Ledger.Store.Chain;

/// <summary>What <c>ledger verify</c> found wrong at one sequence number.</summary>
public enum ChainProblemKind
{
    /// <summary>The event no longer matches its chain hash; the cause could not be told apart.</summary>
    Mismatch,

    /// <summary>The event's stored fields changed after it was sealed; the chain rows around it are intact.</summary>
    EventChanged,

    /// <summary>The chain row's hash was altered; the event itself is as it was sealed.</summary>
    ChainRowChanged,

    /// <summary>A chain row exists but its event does not: the event was deleted.</summary>
    EventMissing,

    /// <summary>An event inside the sealed range has no chain row: it was inserted after sealing.</summary>
    EventNotInChain,

    /// <summary>The checkpoint's sequence number is no longer in the chain (a truncated tail).</summary>
    CheckpointMissing,

    /// <summary>The chain holds the checkpoint's sequence number with another hash (a rewritten history).</summary>
    CheckpointDiffers,
}
