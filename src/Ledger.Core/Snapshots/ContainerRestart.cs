namespace Ledger.Core.Snapshots;

/// <summary>
/// A container restarted between two snapshots. <see cref="Recreated"/> means the name now
/// belongs to a new container (another id): the old one was removed and a new one created, as a
/// deploy does, or as systemd does when it restarts a NixOS oci-containers unit (whose
/// <c>podman run --rm</c> makes every restart a re-creation, which podman's own counter never
/// sees). <see cref="Count"/> is the restarts since the previous snapshot: what podman counted
/// (a lower bound when podman reset its counter), plus one for a re-creation, so a re-creation
/// alone has a <see cref="Count"/> of 1 and one whose new container podman restarted 3 times has 4.
/// </summary>
public sealed record ContainerRestart(string Name, int Count, bool Recreated);
