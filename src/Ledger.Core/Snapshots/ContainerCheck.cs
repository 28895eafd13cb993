using Ledger.Core.Events;

namespace Ledger.Core.Snapshots;

/// <summary>
/// The container check of the validation checklist, as a pure function of two snapshots. It
/// fails when an expected container is missing or not running, when any container restarted
/// more than <see cref="ContainerCheckSpec.MaxRestarts"/> times since the previous snapshot (a
/// restart loop; a re-creation under the same name counts as one restart, see
/// <see cref="ContainerRestart"/>), or when any container's health check reports "unhealthy".
/// </summary>
public static class ContainerCheck
{
    /// <param name="previous">
    /// The previous snapshot's containers, or null when there is none; then restarts cannot be
    /// counted and only state and health are checked.
    /// </param>
    public static (ValidationStatus Status, string Summary, IReadOnlyList<Finding> Findings) Evaluate(
        ContainerCheckSpec spec,
        IReadOnlyList<ContainerState> current,
        IReadOnlyList<ContainerState>? previous)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.Expected);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfNegative(spec.MaxRestarts);

        var findings = new List<Finding>();
        var expected = spec.Expected.Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in expected)
        {
            var container = current.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
            if (container is null)
            {
                findings.Add(new Finding(name, $"{name} is missing"));
            }
            else if (!IsRunning(container))
            {
                findings.Add(new Finding(name, NotRunning(container)));
            }
        }

        if (previous is not null)
        {
            foreach (var restart in ContainerChanges.Between(previous, current).Restarts)
            {
                if (restart.Count > spec.MaxRestarts)
                {
                    findings.Add(new Finding(restart.Name, Restarted(restart)));
                }
            }
        }

        foreach (var container in current.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (string.Equals(container.Health, "unhealthy", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(container.Name, $"{container.Name} is unhealthy"));
            }
        }

        if (findings.Count > 0)
        {
            var problems = findings.Count == 1 ? "1 problem" : $"{findings.Count} problems";
            return (ValidationStatus.Fail, $"{problems}: {string.Join("; ", findings.Select(f => f.Message))}", findings);
        }

        var summary = expected.Count == 0
            ? $"no containers expected; {current.Count} listed, none restarting or unhealthy"
            : $"{expected.Count} of {expected.Count} expected containers running";
        return (ValidationStatus.Pass, summary, findings);
    }

    /// <summary>"sonarr restarted 5 times ...", "jellyfin re-created (restarted) and restarted 2 times more ...".</summary>
    private static string Restarted(ContainerRestart restart)
    {
        if (!restart.Recreated)
        {
            return $"{restart.Name} restarted {Times(restart.Count)} since the last snapshot";
        }

        var more = restart.Count - 1;
        return more == 0
            ? $"{restart.Name} re-created (restarted) since the last snapshot"
            : $"{restart.Name} re-created (restarted) and restarted {Times(more)} more since the last snapshot";
    }

    private static string Times(int count) => count == 1 ? "once" : $"{count} times";

    private static bool IsRunning(ContainerState container) =>
        string.Equals(container.State, "running", StringComparison.OrdinalIgnoreCase);

    private static string NotRunning(ContainerState container) =>
        container.State.ToLowerInvariant() switch
        {
            "exited" or "stopped" => $"{container.Name} exited",
            var state => $"{container.Name} is {state}, not running",
        };
}
