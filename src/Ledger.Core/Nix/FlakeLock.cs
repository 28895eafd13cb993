using System.Globalization;
using System.Text.Json;

namespace Ledger.Core.Nix;

/// <summary>
/// The direct inputs of a flake as its <c>flake.lock</c> (version 5 to 7) pins them: the entries
/// of the root node's <c>inputs</c> that name a node. Inputs that follow another input (a list,
/// such as <c>["nixpkgs"]</c>) are not pinned by this flake and are left out.
/// </summary>
public static class FlakeLock
{
    /// <summary>One pinned input: its rev (or narHash), when its source last changed, and the ref it tracks.</summary>
    public sealed record Pin(string? Rev, string? LastModified, string? Ref);

    /// <summary>
    /// The pins by input name, or a problem that says why the text is not a lock file this reads
    /// (not JSON, a merge conflict, another version, no root node). Never throws.
    /// </summary>
    public static (IReadOnlyDictionary<string, Pin>? Pins, string? Problem) Parse(string text)
    {
        if (text.Contains("\n<<<<<<< ", StringComparison.Ordinal) || text.StartsWith("<<<<<<< ", StringComparison.Ordinal))
        {
            return (null, ConflictProblem);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return Read(doc);
        }
        catch (JsonException e)
        {
            return (null, NotJson(e));
        }
    }

    /// <summary>
    /// <see cref="Parse(string)"/> of the file's bytes as git stores them, without making a string
    /// of them first (an import reads every lock file a history held). Null when the bytes are not
    /// plain UTF-8 JSON (a byte-order mark, invalid UTF-8, not JSON at all): the caller then decodes
    /// the text as before and parses that, which says what is wrong with it.
    /// </summary>
    public static (IReadOnlyDictionary<string, Pin>? Pins, string? Problem)? ParseUtf8(ReadOnlyMemory<byte> utf8)
    {
        var bytes = utf8.Span;
        if (bytes.StartsWith("\uFEFF"u8) || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        if (bytes.IndexOf("\n<<<<<<< "u8) >= 0 || bytes.StartsWith("<<<<<<< "u8))
        {
            return (null, ConflictProblem);
        }

        try
        {
            using var doc = JsonDocument.Parse(utf8);
            return Read(doc);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private const string ConflictProblem = "flake.lock holds merge-conflict markers";

    private static string NotJson(JsonException e) => $"flake.lock is not valid JSON ({e.Message})";

    private static (IReadOnlyDictionary<string, Pin>? Pins, string? Problem) Read(JsonDocument doc)
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Object)
        {
            return (null, "flake.lock has no \"nodes\" object");
        }

        if (root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var version) && version < 5)
        {
            return (null, $"flake.lock version {version} is older than this reads (5 to 7)");
        }

        var rootName = root.TryGetProperty("root", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "root";
        if (!nodes.TryGetProperty(rootName, out var rootNode) || rootNode.ValueKind != JsonValueKind.Object)
        {
            return (null, $"flake.lock has no root node \"{rootName}\"");
        }

        var pins = new SortedDictionary<string, Pin>(StringComparer.Ordinal);
        if (rootNode.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Object)
        {
            foreach (var input in inputs.EnumerateObject())
            {
                if (input.Value.ValueKind == JsonValueKind.String && nodes.TryGetProperty(input.Value.GetString()!, out var node) && node.ValueKind == JsonValueKind.Object)
                {
                    pins[input.Name] = PinOf(node);
                }
            }
        }

        return (pins, null);
    }

    /// <summary>
    /// The direct inputs that changed from <paramref name="before"/> to <paramref name="after"/>
    /// (either null: no lock file on that side), sorted by input name.
    /// </summary>
    public static IReadOnlyList<FlakeInputChange> Changes(IReadOnlyDictionary<string, Pin>? before, IReadOnlyDictionary<string, Pin>? after)
    {
        var old = before ?? new Dictionary<string, Pin>();
        var now = after ?? new Dictionary<string, Pin>();
        var changes = new List<FlakeInputChange>();
        foreach (var name in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var was = old.GetValueOrDefault(name);
            var isNow = now.GetValueOrDefault(name);
            var change = (was, isNow) switch
            {
                (null, not null) => "added",
                (not null, null) => "removed",
                (not null, not null) when was != isNow => "updated",
                _ => null,
            };
            if (change is not null)
            {
                changes.Add(new FlakeInputChange(name, change, was?.Rev, isNow?.Rev, was?.LastModified, isNow?.LastModified, was?.Ref, isNow?.Ref));
            }
        }

        return changes;
    }

    private static Pin PinOf(JsonElement node)
    {
        string? rev = null, lastModified = null, reference = null;
        if (node.TryGetProperty("locked", out var locked) && locked.ValueKind == JsonValueKind.Object)
        {
            rev = Str(locked, "rev") ?? Str(locked, "narHash");
            if (locked.TryGetProperty("lastModified", out var lm) && lm.ValueKind == JsonValueKind.Number && lm.TryGetInt64(out var seconds))
            {
                lastModified = DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
        }

        if (node.TryGetProperty("original", out var original) && original.ValueKind == JsonValueKind.Object)
        {
            reference = Str(original, "ref");
        }

        return new Pin(rev, lastModified, reference);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
