namespace Ledger.Core.Timeline;

/// <summary>
/// A page of the timeline, newest first. <see cref="BeforeSeq"/> is the keyset cursor: the next
/// page starts below the last sequence number of the previous one. <see cref="AfterSeq"/> and
/// <see cref="FromOldest"/> read upwards instead (the page just above a row, or the oldest page),
/// and still return the page newest first.
/// </summary>
public sealed record TimelineQuery
{
    public string? Host { get; init; }

    /// <summary>
    /// Only events that can change this host: those it recorded itself, and configuration edits
    /// recorded anywhere that name it in <see cref="Events.ConfigEdited.Hosts"/>, or are shared in a
    /// repository whose commits name it (or that it records itself).
    /// </summary>
    public string? Affects { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>Only these event types (aliases such as <c>deploy_finished</c>), where a kind says too much.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? Grep { get; init; }

    public long? BeforeSeq { get; init; }

    /// <summary>Keyset cursor upwards: the <see cref="Limit"/> rows just above this sequence number.</summary>
    public long? AfterSeq { get; init; }

    /// <summary>The oldest <see cref="Limit"/> rows (a jump to the end without reading the pages between).</summary>
    public bool FromOldest { get; init; }

    /// <summary>Rows per page; null means every matching row (read page by page).</summary>
    public int? Limit { get; init; } = 50;
}
