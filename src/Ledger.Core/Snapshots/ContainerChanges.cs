using Ledger.Core.Events;

namespace Ledger.Core.Snapshots;

/// <summary>
/// What changed between two container snapshots. Containers are matched by name, because a
/// name is what the admin declares (<c>virtualisation.oci-containers.containers.jellyfin</c>)
/// while the id changes every time the container is re-created. Every list is sorted by name.
/// </summary>
/// <param name="IsFirstSnapshot">
/// There was no previous snapshot: every current container is in <see cref="Added"/> and the
/// other lists are empty, since nothing can have changed, restarted or recovered yet.
/// </param>
public sealed record ContainerChanges(
    bool IsFirstSnapshot,
    IReadOnlyList<ContainerState> Added,
    IReadOnlyList<ContainerState> Removed,
    IReadOnlyList<ContainerStateChange> StateChanges,
    IReadOnlyList<ContainerRestart> Restarts,
    IReadOnlyList<ContainerHealthChange> HealthChanges)
{
    public bool IsEmpty =>
        Added.Count == 0 && Removed.Count == 0 && StateChanges.Count == 0 && Restarts.Count == 0 && HealthChanges.Count == 0;

    /// <param name="previous">The last snapshot's containers, or null when there is none.</param>
    public static ContainerChanges Between(IReadOnlyList<ContainerState>? previous, IReadOnlyList<ContainerState> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var now = ByName(current);
        if (previous is null)
        {
            return new ContainerChanges(true, [.. now.Values], [], [], [], []);
        }

        var before = ByName(previous);
        var added = now.Values.Where(c => !before.ContainsKey(c.Name)).ToList();
        var removed = before.Values.Where(c => !now.ContainsKey(c.Name)).ToList();
        var stateChanges = new List<ContainerStateChange>();
        var restarts = new List<ContainerRestart>();
        var healthChanges = new List<ContainerHealthChange>();

        foreach (var (name, was) in before)
        {
            if (!now.TryGetValue(name, out var isNow))
            {
                continue;
            }

            if (!string.Equals(was.State, isNow.State, StringComparison.Ordinal))
            {
                stateChanges.Add(new ContainerStateChange(name, was.State, isNow.State));
            }

            var recreated = !string.Equals(was.Id, isNow.Id, StringComparison.Ordinal);
            var count = RestartsSince(was, isNow, recreated);
            if (recreated || count > 0)
            {
                restarts.Add(new ContainerRestart(name, count, recreated));
            }

            if (!string.Equals(was.Health, isNow.Health, StringComparison.Ordinal))
            {
                healthChanges.Add(new ContainerHealthChange(name, was.Health, isNow.Health));
            }
        }

        return new ContainerChanges(false, added, removed, stateChanges, restarts, healthChanges);
    }

    private static int RestartsSince(ContainerState was, ContainerState isNow, bool recreated)
    {
        // The re-creation is one restart (on NixOS it is how systemd restarts the unit), and the
        // new container counts from zero, so all its own restarts happened since as well.
        if (recreated)
        {
            return 1 + Math.Max(0, isNow.RestartCount);
        }

        // podman resets the counter when the container is started by hand; what it counted since
        // is all we know, so report that rather than a negative number.
        return isNow.RestartCount >= was.RestartCount
            ? isNow.RestartCount - was.RestartCount
            : Math.Max(0, isNow.RestartCount);
    }

    /// <summary>podman names are unique; should a list repeat one anyway, the first entry wins.</summary>
    private static SortedDictionary<string, ContainerState> ByName(IReadOnlyList<ContainerState> containers)
    {
        var byName = new SortedDictionary<string, ContainerState>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            byName.TryAdd(container.Name, container);
        }

        return byName;
    }
}
