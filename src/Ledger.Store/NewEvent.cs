using Ledger.Core.Events;

namespace Ledger.Store;

/// <summary>An event to append to a stream, with the time it happened when that is not "now".</summary>
public sealed record NewEvent(string StreamKey, ILedgerEvent Event, DateTimeOffset? OccurredAt = null);
