namespace Ledger.Core.Timeline;

/// <summary>One event as the timeline shows it.</summary>
public sealed record TimelineEntry(
    long Seq,
    DateTimeOffset Timestamp,
    string Host,
    string Actor,
    string Kind,
    string Type,
    string Title,
    string StreamKey,
    object Data);
