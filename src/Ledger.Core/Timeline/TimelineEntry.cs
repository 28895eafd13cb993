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
    object Data)
{
    private object? _data = Data;
    private Func<object>? _decode;

    /// <summary>An entry whose event is decoded on first use of <see cref="Data"/> (a page shows only the line).</summary>
    public TimelineEntry(long seq, DateTimeOffset timestamp, string host, string actor, string kind, string type, string title, string streamKey, Func<object> decode)
        : this(seq, timestamp, host, actor, kind, type, title, streamKey, Data: null!)
    {
        _decode = decode;
    }

    /// <summary>The event (or, for a type this build does not know, its JSON).</summary>
    public object Data
    {
        get
        {
            if (_data is null && _decode is { } decode)
            {
                _data = decode();
                _decode = null;
            }

            return _data!;
        }

        init => _data = value;
    }
}
