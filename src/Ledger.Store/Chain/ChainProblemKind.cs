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

    /// <summary>The event is there but readers cannot see it: it was marked archived, which the timeline and search skip.</summary>
    EventHidden,

    /// <summary>An event the text index claims to hold (at or below its watermark) has no row in it: searches cannot find it.</summary>
    TextIndexMissing,

    /// <summary>The text index's watermark is broken: beyond the last event (events appended up to it would never be indexed), or gone.</summary>
    TextIndexWatermark,

    /// <summary>The checkpoint's sequence number is no longer in the chain (a truncated tail).</summary>
    CheckpointMissing,

    /// <summary>The chain holds the checkpoint's sequence number with another hash (a rewritten history).</summary>
    CheckpointDiffers,
}
