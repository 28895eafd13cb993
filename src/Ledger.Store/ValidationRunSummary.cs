namespace Ledger.Store;

/// <summary>The newest validation run of a host: when it ended and how many checks ended in each status.</summary>
public sealed record ValidationRunSummary(DateTimeOffset At, string? RunId, IReadOnlyDictionary<string, int> Statuses);
