namespace Ledger.Store.Spool;

/// <summary>What waits in the spool: how many events, their bytes, when the oldest was spooled, and how many files were set aside in <c>rejected/</c>.</summary>
public sealed record SpoolStatus(string Folder, int Events, long Bytes, DateTimeOffset? Oldest, int Rejected)
{
    /// <summary>How long the oldest event has waited, or null when the spool is empty.</summary>
    public TimeSpan? OldestAge(DateTimeOffset now) => Oldest is { } at ? (now > at ? now - at : TimeSpan.Zero) : null;
}
