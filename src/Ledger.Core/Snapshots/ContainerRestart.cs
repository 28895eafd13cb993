namespace Ledger.Core.Snapshots;

/// <summary>
/// A container restarted between two snapshots. <see cref="Count"/> is how many restarts podman
/// counted since the previous snapshot (a lower bound when podman reset its counter).
/// <see cref="Recreated"/> means the name now belongs to a new container (another id): the old
/// one was removed and a new one created, as a deploy does, or as systemd does when it restarts
/// a NixOS oci-containers unit. A re-creation alone has a <see cref="Count"/> of 0.
/// </summary>
public sealed record ContainerRestart(string Name, int Count, bool Recreated);
