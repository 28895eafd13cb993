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
    /// of them first (an import reads every lock file a history held), and without a document model:
    /// one pass checks the JSON and notes where each node's value lies, then only the root node and
    /// the nodes it names are read (building documents of lock files with dozens of nodes, to look
    /// at a few, was 5-7% of srvos' import CPU). The same answer as <see cref="Parse(string)"/>
    /// for every text, duplicate names included (the last one counts, as a document's lookup finds it;
    /// FlakeLockSpecs compares both). Null when the bytes are not plain UTF-8 JSON (a byte-order mark,
    /// invalid UTF-8, not JSON at all): the caller then decodes the text as before and parses that,
    /// which says what is wrong with it.
    /// </summary>
    public static (IReadOnlyDictionary<string, Pin>? Pins, string? Problem)? ParseUtf8(ReadOnlyMemory<byte> utf8) => ParseUtf8(utf8.Span);

    /// <inheritdoc cref="ParseUtf8(ReadOnlyMemory{byte})"/>
    public static (IReadOnlyDictionary<string, Pin>? Pins, string? Problem)? ParseUtf8(ReadOnlySpan<byte> bytes)
    {
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
            return ReadStreaming(bytes);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON; or a name or value escaping half a surrogate pair, which has no string:
            // the text's way says what the document's way says of it.
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
    /// What <see cref="Read(JsonDocument)"/> finds, read from the bytes: the whole text is checked
    /// as the document's parser checks it (a <see cref="JsonException"/> where it would throw).
    /// </summary>
    private static (IReadOnlyDictionary<string, Pin>? Pins, string? Problem) ReadStreaming(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
        reader.Read();
        bool isObject = reader.TokenType == JsonTokenType.StartObject;
        Dictionary<string, Range>? nodes = null;
        int? version = null;
        string rootName = "root";
        if (!isObject)
        {
            reader.Skip();
        }
        else
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("nodes"u8))
                {
                    reader.Read();
                    nodes = null;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        nodes = NodeRanges(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("version"u8))
                {
                    reader.Read();
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("root"u8))
                {
                    reader.Read();
                    rootName = reader.TokenType == JsonTokenType.String ? reader.GetString()! : "root";
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        // Nothing but blanks may follow the one value: the reader throws there, as the document's
        // parser does.
        _ = reader.Read();

        if (!isObject || nodes is null)
        {
            return (null, "flake.lock has no \"nodes\" object");
        }

        if (version is < 5)
        {
            return (null, $"flake.lock version {version} is older than this reads (5 to 7)");
        }

        if (!nodes.TryGetValue(rootName, out var rootRange) || utf8[rootRange][0] != (byte)'{')
        {
            return (null, $"flake.lock has no root node \"{rootName}\"");
        }

        var pins = new SortedDictionary<string, Pin>(StringComparer.Ordinal);
        var root = new Utf8JsonReader(utf8[rootRange]);
        root.Read();
        while (root.Read() && root.TokenType == JsonTokenType.PropertyName)
        {
            bool isInputs = root.ValueTextEquals("inputs"u8);
            root.Read();
            if (!isInputs)
            {
                root.Skip();
                continue;
            }

            // Each "inputs" read in turn: a later one stands for the earlier, as in the document.
            pins.Clear();
            if (root.TokenType != JsonTokenType.StartObject)
            {
                root.Skip();
                continue;
            }

            while (root.Read() && root.TokenType == JsonTokenType.PropertyName)
            {
                var name = root.GetString()!;
                root.Read();
                if (root.TokenType == JsonTokenType.String && nodes.TryGetValue(root.GetString()!, out var node) && utf8[node][0] == (byte)'{')
                {
                    pins[name] = PinOf(utf8[node]);
                }
                else
                {
                    root.Skip();
                }
            }
        }

        return (pins, null);
    }

    /// <summary>The nodes object's members, by name, as where their values lie (the last of a name counts).</summary>
    private static Dictionary<string, Range> NodeRanges(ref Utf8JsonReader reader)
    {
        var ranges = new Dictionary<string, Range>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            ranges[name] = start..(int)reader.BytesConsumed;
        }

        return ranges;
    }

    /// <summary><see cref="PinOf(JsonElement)"/> of a node's object, from its bytes.</summary>
    private static Pin PinOf(ReadOnlySpan<byte> node)
    {
        string? rev = null, narHash = null, lastModified = null, reference = null;
        var reader = new Utf8JsonReader(node);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("locked"u8))
            {
                reader.Read();
                (rev, narHash, lastModified) = (null, null, null);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("rev"u8))
                    {
                        reader.Read();
                        rev = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("narHash"u8))
                    {
                        reader.Read();
                        narHash = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("lastModified"u8))
                    {
                        reader.Read();
                        lastModified = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) ? Timestamp(seconds) : null;
                    }
                    else
                    {
                        reader.Read();
                    }

                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("original"u8))
            {
                reader.Read();
                reference = null;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isRef = reader.ValueTextEquals("ref"u8);
                    reader.Read();
                    if (isRef)
                    {
                        reference = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }

                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new Pin(rev ?? narHash, lastModified, reference);
    }

    private static string Timestamp(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

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
                lastModified = Timestamp(seconds);
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
