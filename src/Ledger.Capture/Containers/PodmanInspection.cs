namespace Ledger.Capture.Containers;

/// <summary>
/// What <c>podman inspect</c> knows about one container that <c>podman ps</c> may not say.
/// </summary>
/// <param name="RestartCount">podman's restart counter; null when inspect did not give one.</param>
/// <param name="HealthReported">
/// Inspect gave a health status, so <see cref="Health"/> is to be believed, including its null
/// (podman writes an empty status for a container without a health check).
/// </param>
/// <param name="Health">"healthy", "unhealthy", "starting", ...; null for no health check.</param>
internal sealed record PodmanInspection(string Id, int? RestartCount, bool HealthReported, string? Health)
{
    /// <summary>
    /// <paramref name="listed"/> with what inspect gave put over what ps gave; the rest of the
    /// container is as ps listed it.
    /// </summary>
    public ContainerState ApplyTo(ContainerState listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        return listed with
        {
            RestartCount = RestartCount ?? listed.RestartCount,
            Health = HealthReported ? Health : listed.Health,
        };
    }
}
