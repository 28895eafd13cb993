namespace Ledger.Core.Timeline;

/// <summary>
/// A page of the timeline, newest first. <see cref="BeforeSeq"/> is the keyset cursor: the next
/// page starts below the last sequence number of the previous one.
/// </summary>
public sealed record TimelineQuery
{
    public string? Host { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = [];

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? Grep { get; init; }

    public long? BeforeSeq { get; init; }

    /// <summary>Rows per page; null means every matching row (read page by page).</summary>
    public int? Limit { get; init; } = 50;
}
