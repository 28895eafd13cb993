using System.Text.Json;

namespace Ledger.Capture.Containers;

/// <summary>
/// What the readers of podman's JSON share: loading a whole document or refusing it with a
/// <see cref="CaptureException"/> that names the command, and finding properties the way podman
/// versions spell them differently (ignoring case and underscores).
/// </summary>
internal static class PodmanJson
{
    /// <summary>The document <paramref name="command"/> printed; the caller disposes it.</summary>
    public static JsonDocument Load(string json, string command)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new CaptureException($"`{command}` printed nothing; a podman that works prints at least `[]`. Run it by hand to see why.");
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CaptureException(
                $"`{command}` printed invalid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message} " +
                "The output may have been cut off; run the command by hand to see it.",
                inner: ex);
        }
    }

    /// <summary>
    /// Reads the top-level array both ps and inspect print, one entry at a time; anything but an
    /// array is refused whole, so no caller ever sees half a list.
    /// </summary>
    public static List<T> ReadArray<T>(string json, string command, Func<JsonElement, int, T> readEntry)
    {
        using var document = Load(json, command);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new CaptureException(
                $"`{command}` printed a JSON {Describe(root.ValueKind)} where a list of containers (a JSON array) was expected. " +
                "Is the podman on PATH a real podman 4 or newer?");
        }

        var items = new List<T>(root.GetArrayLength());
        var index = 0;
        foreach (var entry in root.EnumerateArray())
        {
            items.Add(readEntry(entry, index));
            index++;
        }

        return items;
    }

    public static string? ReadString(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int ReadInt(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : 0;

    /// <summary>Finds a property ignoring case and underscores: "host_ip" matches "hostIP" and "HostIp".</summary>
    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        var wanted = Normalize(name);
        foreach (var property in element.EnumerateObject())
        {
            if (Normalize(property.Name) == wanted)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>"entry 2 (id 5dc86dd46958)": where in podman's list a problem is.</summary>
    public static string Entry(int index, string? id) =>
        id is null ? $"entry {index + 1}" : $"entry {index + 1} (id {id[..Math.Min(12, id.Length)]})";

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
