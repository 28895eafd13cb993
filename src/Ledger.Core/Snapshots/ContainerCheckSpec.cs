namespace Ledger.Core.Snapshots;

/// <summary>
/// What the container check expects: these containers (by name) running, and no container
/// restarted more than <paramref name="MaxRestarts"/> times between two snapshots.
/// </summary>
public sealed record ContainerCheckSpec(IReadOnlyList<string> Expected, int MaxRestarts);
