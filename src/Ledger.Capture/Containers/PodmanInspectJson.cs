using System.Text.Json;
using static Ledger.Capture.Containers.PodmanJson;

namespace Ledger.Capture.Containers;

/// <summary>
/// Reads the output of <c>podman inspect --format json ID...</c> (podman 4.x and 5.x) for the
/// two facts Ledger takes from it: <c>RestartCount</c> (podman 4's ps has no restart count) and
/// <c>State.Health.Status</c> (ps only hints at health in its human Status text). Field names are
/// read as tolerantly as <see cref="PodmanPsJson"/> reads them, and older podmans'
/// <c>State.Healthcheck</c> is read like <c>State.Health</c>; output that is not a whole JSON
/// array of objects with an Id is refused with a <see cref="CaptureException"/>.
/// </summary>
internal static class PodmanInspectJson
{
    private const string Command = "podman inspect --format json";

    public static IReadOnlyList<PodmanInspection> Parse(string json) => ReadArray(json, Command, ReadContainer);

    private static PodmanInspection ReadContainer(JsonElement entry, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(index, null, $"is a JSON {Describe(entry.ValueKind)}, not an object");
        }

        var id = ReadString(entry, "Id");
        if (string.IsNullOrEmpty(id))
        {
            throw Malformed(index, null, "has no Id");
        }

        if (!TryGet(entry, "State", out var state) || state.ValueKind == JsonValueKind.Null)
        {
            return new PodmanInspection(id, ReadRestartCount(entry), false, null);
        }

        if (state.ValueKind == JsonValueKind.String)
        {
            throw Malformed(index, id, "has State as a string, the way `podman ps` writes it; give Ledger the output of `podman inspect --format json`");
        }

        if (state.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(index, id, $"has State as a JSON {Describe(state.ValueKind)}, not an object");
        }

        var (reported, health) = ReadHealth(state);
        return new PodmanInspection(id, ReadRestartCount(entry), reported, health);
    }

    /// <summary>podman counts restarts (by its restart policy) in an unsigned integer.</summary>
    private static int? ReadRestartCount(JsonElement entry) =>
        TryGet(entry, "RestartCount", out var count)
        && count.ValueKind == JsonValueKind.Number
        && count.TryGetInt64(out var value)
        && value >= 0
            ? (int)Math.Min(value, int.MaxValue)
            : null;

    /// <summary>
    /// podman 4 always writes <c>State.Health</c>, with an empty Status when the container has no
    /// health check; podman 5 leaves it out then. Only a Status string counts as reported.
    /// </summary>
    private static (bool Reported, string? Health) ReadHealth(JsonElement state)
    {
        if (!TryGet(state, "Health", out var health) && !TryGet(state, "Healthcheck", out health))
        {
            return (false, null);
        }

        var status = health.ValueKind switch
        {
            JsonValueKind.Object => ReadString(health, "Status"),
            JsonValueKind.String => health.GetString(),
            _ => null,
        };
        if (status is null)
        {
            return (false, null);
        }

        return string.IsNullOrWhiteSpace(status) ? (true, null) : (true, status.Trim().ToLowerInvariant());
    }

    private static CaptureException Malformed(int index, string? id, string problem) =>
        new($"`{Command}` printed a container list Ledger cannot read: {Entry(index, id)} {problem}. No containers were recorded.");
}
