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
    /// one pass checks the JSON and notes where each node's value and the parts of its pin lie,
    /// then only the root node is read, and the pins of the nodes it names are made (building
    /// documents of lock files with dozens of nodes, to look at a few, was 5-7% of srvos' import
    /// CPU; reading each named node a second time, 4% of Mic92/dotfiles', whose root names 48 of
    /// its 53). The same answer as <see cref="Parse(string)"/>
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
        Dictionary<string, Node>? nodes = null;
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
                        nodes = ReadNodes(ref reader);
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

        if (!nodes.TryGetValue(rootName, out var rootNode) || !rootNode.IsObject)
        {
            return (null, $"flake.lock has no root node \"{rootName}\"");
        }

        var pins = new SortedDictionary<string, Pin>(StringComparer.Ordinal);
        var root = new Utf8JsonReader(utf8[rootNode.Value]);
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
                if (root.TokenType == JsonTokenType.String && nodes.TryGetValue(root.GetString()!, out var node) && node.IsObject)
                {
                    pins[name] = node.Pin(utf8);
                }
                else
                {
                    root.Skip();
                }
            }
        }

        return (pins, null);
    }

    /// <summary>
    /// A string value as the reader met it: where its bytes lie when they are plain ASCII (decoded
    /// only for the nodes the root names), else the string itself; Length -1 when there is none.
    /// </summary>
    private readonly record struct Text(int Start, int Length, string? Decoded)
    {
        public static Text None => new(0, -1, null);

        public static Text Of(ref Utf8JsonReader reader) =>
            reader.TokenType != JsonTokenType.String ? None
            : !reader.ValueIsEscaped && System.Text.Ascii.IsValid(reader.ValueSpan) ? new((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, null)
            : new(0, 0, reader.GetString());

        public string? In(ReadOnlySpan<byte> utf8) => Decoded ?? (Length < 0 ? null : System.Text.Encoding.ASCII.GetString(utf8.Slice(Start, Length)));
    }

    /// <summary>A member of the nodes object: where its value lies and, for an object, what its pin is made of.</summary>
    private readonly record struct Node(Range Value, bool IsObject, Text Rev, Text NarHash, long? LastModified, Text Ref)
    {
        public Pin Pin(ReadOnlySpan<byte> utf8) =>
            new(Rev.In(utf8) ?? NarHash.In(utf8), LastModified is { } seconds ? Timestamp(seconds) : null, Ref.In(utf8));
    }

    /// <summary>
    /// The nodes object's members, by name (the last of a name counts), each object read for its
    /// pin as <see cref="PinOf(JsonElement)"/> reads it, in the one pass that checks the JSON.
    /// </summary>
    private static Dictionary<string, Node> ReadNodes(ref Utf8JsonReader reader)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                nodes[name] = new Node(start..(int)reader.BytesConsumed, false, Text.None, Text.None, null, Text.None);
                continue;
            }

            Text rev = Text.None, narHash = Text.None, reference = Text.None;
            long? lastModified = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("locked"u8))
                {
                    reader.Read();
                    (rev, narHash, lastModified) = (Text.None, Text.None, null);
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
                            rev = Text.Of(ref reader);
                        }
                        else if (reader.ValueTextEquals("narHash"u8))
                        {
                            reader.Read();
                            narHash = Text.Of(ref reader);
                        }
                        else if (reader.ValueTextEquals("lastModified"u8))
                        {
                            reader.Read();
                            lastModified = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) ? seconds : null;
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
                    reference = Text.None;
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
                            reference = Text.Of(ref reader);
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

            nodes[name] = new Node(start..(int)reader.BytesConsumed, true, rev, narHash, lastModified, reference);
        }

        return nodes;
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
