using System.Globalization;
using System.Text.Json;
using static Ledger.Capture.Containers.PodmanJson;

namespace Ledger.Capture.Containers;

/// <summary>
/// Reads the output of <c>podman ps -a --format json</c> (podman 4.x and 5.x) into
/// <see cref="ContainerState"/> facts. Fields podman added, renamed or retyped between versions
/// are read tolerantly (property names ignore case and underscores, timestamps may be numbers or
/// strings); anything that is not a whole JSON array of containers is refused with a
/// <see cref="CaptureException"/>, so a caller never records half a list.
/// </summary>
internal static class PodmanPsJson
{
    private const string Command = "podman ps -a --format json";

    private static readonly string[] HealthWords = ["healthy", "unhealthy", "starting"];

    public static IReadOnlyList<ContainerState> Parse(string json) => ReadArray(json, Command, ReadContainer);

    private static ContainerState ReadContainer(JsonElement entry, int index)
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

        if (TryGet(entry, "State", out var stateObject) && stateObject.ValueKind == JsonValueKind.Object)
        {
            throw Malformed(index, id, "has State as an object, the way `podman inspect` writes it; give Ledger the output of `podman ps -a --format json`");
        }

        var name = ReadName(entry) ?? throw Malformed(index, id, "has no Names");
        var state = ReadString(entry, "State");
        if (string.IsNullOrEmpty(state))
        {
            throw Malformed(index, id, "has no State");
        }

        return new ContainerState(
            id,
            name,
            ReadString(entry, "Image") ?? "",
            state.ToLowerInvariant(),
            ReadHealth(entry),
            ReadRestarts(entry),
            ReadTime(entry, "StartedAt"),
            ReadPorts(entry, index, id));
    }

    private static string? ReadName(JsonElement entry)
    {
        if (!TryGet(entry, "Names", out var names))
        {
            return null;
        }

        // podman 4 and 5 give an array; podman 1.x gave one string.
        return names.ValueKind switch
        {
            JsonValueKind.Array => names.EnumerateArray()
                .Where(n => n.ValueKind == JsonValueKind.String)
                .Select(n => n.GetString())
                .FirstOrDefault(n => !string.IsNullOrEmpty(n)),
            JsonValueKind.String => NullIfEmpty(names.GetString()),
            _ => null,
        };
    }

    /// <summary>
    /// podman ps has no health field: it appends the health check's state to the human
    /// <c>Status</c> ("Up 3 minutes (healthy)"). A "Health" field, should a version add one, wins.
    /// </summary>
    private static string? ReadHealth(JsonElement entry)
    {
        if (TryGet(entry, "Health", out var health))
        {
            var word = health.ValueKind switch
            {
                JsonValueKind.String => health.GetString(),
                JsonValueKind.Object => ReadString(health, "Status"),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(word))
            {
                return word.Trim().ToLowerInvariant();
            }
        }

        var status = ReadString(entry, "Status");
        if (status is null)
        {
            return null;
        }

        // Only these words count: "Exited (137) 2 minutes ago" also holds parentheses.
        foreach (var candidate in HealthWords)
        {
            if (status.Contains($"({candidate})", StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int ReadRestarts(JsonElement entry)
    {
        if ((TryGet(entry, "Restarts", out var restarts) || TryGet(entry, "RestartCount", out restarts))
            && restarts.ValueKind == JsonValueKind.Number
            && restarts.TryGetInt64(out var count)
            && count > 0)
        {
            return (int)Math.Min(count, int.MaxValue);
        }

        return 0;
    }

    /// <summary>
    /// Unix seconds in podman 4 and 5, an RFC 3339 string in some others. podman writes Go's zero
    /// time (-62135596800, year 1) for a container that never started: that is "never", not a time.
    /// </summary>
    private static DateTimeOffset? ReadTime(JsonElement entry, string field)
    {
        if (!TryGet(entry, field, out var value))
        {
            return null;
        }

        DateTimeOffset? time = value.ValueKind switch
        {
            // The upper bound is 9999-12-31, the last second DateTimeOffset can hold.
            JsonValueKind.Number when value.TryGetInt64(out var seconds) && seconds > 0 && seconds <= 253402300799 =>
                DateTimeOffset.FromUnixTimeSeconds(seconds),
            JsonValueKind.String when DateTimeOffset.TryParse(
                value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) =>
                parsed,
            _ => null,
        };
        return time is { } t && t.ToUnixTimeSeconds() > 0 ? t : null;
    }

    /// <summary>
    /// Written the way podman's own table shows them: "0.0.0.0:8096->8096/tcp", ranges as
    /// "0.0.0.0:7000-7002->7000-7002/udp". podman 4 and 5 name the fields host_ip, host_port, ...;
    /// podman 2 and 3 named them hostIP, hostPort, ... without a range.
    /// </summary>
    private static List<string> ReadPorts(JsonElement entry, int index, string id)
    {
        if (!TryGet(entry, "Ports", out var ports) || ports.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (ports.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(index, id, $"has Ports as a JSON {Describe(ports.ValueKind)}, not an array");
        }

        var result = new List<string>();
        foreach (var port in ports.EnumerateArray())
        {
            if (port.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(index, id, $"has a port that is a JSON {Describe(port.ValueKind)}, not an object");
            }

            var hostIp = ReadString(port, "host_ip");
            if (string.IsNullOrEmpty(hostIp))
            {
                hostIp = "0.0.0.0";
            }

            var hostPort = ReadInt(port, "host_port");
            var containerPort = ReadInt(port, "container_port");
            var range = Math.Max(1, ReadInt(port, "range"));
            var protocols = (ReadString(port, "protocol") ?? "tcp")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var protocol in protocols)
            {
                result.Add(range > 1
                    ? $"{hostIp}:{hostPort}-{hostPort + range - 1}->{containerPort}-{containerPort + range - 1}/{protocol}"
                    : $"{hostIp}:{hostPort}->{containerPort}/{protocol}");
            }
        }

        return result;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static CaptureException Malformed(int index, string? id, string problem) =>
        new($"`{Command}` printed a container list Ledger cannot read: {Entry(index, id)} {problem}. No containers were recorded.");
}
