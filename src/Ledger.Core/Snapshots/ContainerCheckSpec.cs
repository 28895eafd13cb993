namespace Ledger.Core.Snapshots;

/// <summary>
/// What the container check expects: these containers (by name) running, and no container
/// restarted more than <paramref name="MaxRestarts"/> times between two snapshots, where a
/// re-creation (same name, new id) is one restart. A limit of 0 therefore also fails a deploy
/// that re-created a container; 1 allows one re-creation, or one restart, per snapshot.
/// </summary>
public sealed record ContainerCheckSpec(IReadOnlyList<string> Expected, int MaxRestarts);
