using Ledger.Core.Nix;

namespace Ledger.Core.Tests.Nix;

public class FlakeLockSpecs
{
    [Fact]
    public void Only_root_inputs_that_name_a_node_are_pinned_not_follows()
    {
        // Act
        var (pins, problem) = FlakeLock.Parse(Lock(("nixpkgs", "aaa", 1_700_000_000, "nixos-24.05"), ("home-manager", "bbb", 1_700_100_000, "release-24.05")));

        // Assert
        problem.ShouldBeNull();
        pins!.Keys.ShouldBe(["home-manager", "nixpkgs"]);
        pins["nixpkgs"].ShouldBe(new FlakeLock.Pin("aaa", "2023-11-14T22:13:20Z", "nixos-24.05"));
    }

    [Fact]
    public void A_path_input_without_a_rev_is_pinned_by_its_nar_hash()
    {
        const string Text = """
            {"nodes": {"local": {"locked": {"narHash": "sha256-abc", "path": "/srv/x", "type": "path"}, "original": {"path": "/srv/x", "type": "path"}},
                       "root": {"inputs": {"local": "local"}}}, "root": "root", "version": 7}
            """;

        FlakeLock.Parse(Text).Pins!["local"].ShouldBe(new FlakeLock.Pin("sha256-abc", null, null));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n", "merge-conflict markers")]
    [InlineData("{\"nodes\": {\"root\": {}}, \"root\": \"root\", \"version\": 4}", "version 4")]
    [InlineData("{\"version\": 7}", "no \"nodes\"")]
    public void A_lock_that_cannot_be_read_gives_a_reason_and_no_pins(string text, string reason)
    {
        var (pins, problem) = FlakeLock.Parse(text);

        pins.ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n")]
    [InlineData("{\"nodes\": {\"root\": {}}, \"root\": \"root\", \"version\": 4}")]
    [InlineData("{\"version\": 7}")]
    [InlineData("{\"nodes\": {\"n\": {\"locked\": {\"rev\": \"r\"}}, \"root\": {\"inputs\": {\"n\": \"n\", \"f\": [\"n\"]}}}, \"root\": \"root\", \"version\": 7}")]
    public void A_lock_read_from_its_bytes_reads_as_its_text_does(string text)
    {
        var fromBytes = FlakeLock.ParseUtf8(System.Text.Encoding.UTF8.GetBytes(text)).ShouldNotBeNull();
        var fromText = FlakeLock.Parse(text);

        fromBytes.Problem.ShouldBe(fromText.Problem);
        (fromBytes.Pins?.ToArray()).ShouldBe(fromText.Pins?.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xFF, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)' ', (byte)'n' })]
    public void Bytes_that_are_not_plain_UTF_8_JSON_are_left_to_the_text(byte[] bytes)
    {
        // A byte-order mark, a byte that is not UTF-8, not JSON: the caller decodes the text as
        // before, so the problem it reports is the one it always reported.
        FlakeLock.ParseUtf8(bytes).ShouldBeNull();
    }

    [Fact]
    public void Changes_list_updated_added_and_removed_inputs_sorted_by_name_and_leave_out_the_unchanged()
    {
        // Arrange
        var before = FlakeLock.Parse(Lock(("nixpkgs", "aaa", 1_700_000_000, "nixos-24.05"), ("agenix", "ccc", 1_600_000_000, null), ("utils", "ddd", 1_600_000_000, null))).Pins;
        var after = FlakeLock.Parse(Lock(("nixpkgs", "eee", 1_701_209_600, "nixos-24.11"), ("sops-nix", "fff", 1_700_000_000, null), ("utils", "ddd", 1_600_000_000, null))).Pins;

        // Act
        var changes = FlakeLock.Changes(before, after);

        // Assert
        changes.Select(c => (c.Input, c.Change)).ShouldBe([("agenix", "removed"), ("nixpkgs", "updated"), ("sops-nix", "added")]);
        changes[1].ShouldBe(new FlakeInputChange("nixpkgs", "updated", "aaa", "eee", "2023-11-14T22:13:20Z", "2023-11-28T22:13:20Z", "nixos-24.05", "nixos-24.11"));
    }

    [Fact]
    public void Phrases_say_a_channel_switch_how_many_days_an_input_moved_and_what_came_and_went()
    {
        var channel = new FlakeInputChange("nixpkgs", "updated", "a", "b", "2024-05-01T00:00:00Z", "2024-12-01T00:00:00Z", "nixos-24.05", "nixos-24.11");
        var days = new FlakeInputChange("nixpkgs", "updated", "a", "b", "2024-05-01T00:00:00Z", "2024-05-15T00:00:00Z", "nixos-unstable", "nixos-unstable");
        var unknown = new FlakeInputChange("local", "updated", "sha256-a", "sha256-b", null, null, null, null);

        FlakeInputText.Phrase(channel).ShouldBe("nixpkgs nixos-24.05 → 24.11");
        FlakeInputText.Phrase(days).ShouldBe("nixpkgs +14 days");
        FlakeInputText.Phrase(unknown).ShouldBe("local updated");
        FlakeInputText.Phrase(new FlakeInputChange("agenix", "added", null, "x", null, null, null, null)).ShouldBe("+agenix");
        FlakeInputText.Phrase(new FlakeInputChange("agenix", "removed", "x", null, null, null, null, null)).ShouldBe("-agenix");
        FlakeInputText.Summary([days, unknown, channel]).ShouldBe("nixpkgs +14 days, local updated and 1 more input");
        FlakeInputText.Summary(null).ShouldBe("");
    }

    [Fact]
    public void Bytes_read_without_a_document_give_what_the_document_gives_for_every_lock_duplicates_and_damage_included()
    {
        // Arrange: locks of every shape: real-looking ones, names given twice with values of every
        // kind at every level (the last one counts in a document), escaped names, numbers out of
        // range, trailing text, and all of these cut short.
        var random = new Random(19);
        var texts = Enumerable.Range(0, 15_000).Select(_ => RandomLock(random)).ToList();
        texts.AddRange(texts.Take(4_000).Select(t => t[..random.Next(t.Length)]).ToList());
        texts.AddRange(texts.Take(2_000).Select(t => t + (random.Next(3) switch { 0 => " {}", 1 => "\n\n", _ => "x" })).ToList());

        // Act and assert
        int pinned = 0, refused = 0;
        foreach (var text in texts)
        {
            var fromBytes = FlakeLock.ParseUtf8(System.Text.Encoding.UTF8.GetBytes(text));
            var fromText = FlakeLock.Parse(text);
            if (fromBytes is not { } read)
            {
                fromText.Problem.ShouldNotBeNull(text).ShouldStartWith("flake.lock is not valid JSON", Case.Sensitive, text);
                refused++;
                continue;
            }

            read.Problem.ShouldBe(fromText.Problem, text);
            (read.Pins?.ToArray()).ShouldBe(fromText.Pins?.ToArray(), text);
            pinned += read.Pins?.Count > 0 ? 1 : 0;
        }

        pinned.ShouldBeGreaterThan(1_000, "many locks pin inputs");
        refused.ShouldBeGreaterThan(1_000, "many are not JSON");
    }

    private static string RandomLock(Random random)
    {
        string[] names = ["nixpkgs", "home-manager", "utils", "root", "sops", "n\\u006fdes", "r\\u00e9v"];
        string Pick(params string[] from) => from[random.Next(from.Length)];
        string Name() => Pick(names);
        string Any(int depth) => random.Next(depth > 2 ? 5 : 7) switch
        {
            0 => $"\"{Name()}\"",
            1 => Pick("1700000000", "-1", "5", "4", "99999999999999999999", "1.5", "1e3", "0"),
            2 => Pick("null", "true", "false"),
            3 => "\"a\\\"b\"",
            4 => "[]",
            5 => $"[{Any(depth + 1)}, \"{Name()}\"]",
            _ => $"{{\"{Name()}\": {Any(depth + 1)}}}",
        };
        string Maybe(string member) => random.Next(5) == 0 ? $"{member}, {member.Split(':')[0]}: {Any(2)}" : member;
        string Locked() => random.Next(6) == 0 ? Any(2) :
            "{" + string.Join(", ", new[]
            {
                Maybe($"\"rev\": \"{Pick("aaa", "bbb", "ccc")}\""),
                Maybe($"\"narHash\": \"sha256-{Pick("x", "y")}\""),
                Maybe($"\"lastModified\": {Pick("1700000000", "1600000000", "-5", "1.0", "\"1700000000\"", "99999999999999999999")}"),
                "\"type\": \"github\"",
            }.Where(_ => random.Next(4) > 0)) + "}";
        string Original() => random.Next(6) == 0 ? Any(2) : "{" + string.Join(", ", new[] { Maybe($"\"ref\": {Pick("\"nixos-24.11\"", "\"main\"", "3", "null")}"), "\"type\": \"github\"" }.Where(_ => random.Next(4) > 0)) + "}";
        string Node() => random.Next(8) == 0 ? Any(1) : "{" + string.Join(", ", new[] { Maybe($"\"locked\": {Locked()}"), Maybe($"\"original\": {Original()}"), $"\"{Name()}\": {Any(2)}" }.Where(_ => random.Next(4) > 0)) + "}";
        string Inputs() => random.Next(8) == 0 ? Any(1) : "{" + string.Join(", ", Enumerable.Range(0, random.Next(5)).Select(_ => $"\"{Name()}\": {(random.Next(4) == 0 ? $"[\"{Name()}\"]" : random.Next(6) == 0 ? Any(2) : $"\"{Name()}\"")}")) + "}";
        var nodes = Enumerable.Range(0, random.Next(6)).Select(_ => $"\"{Name()}\": {(random.Next(3) == 0 ? $"{{\"inputs\": {Inputs()}}}" : Node())}")
            .Append(Maybe($"\"root\": {{{Maybe($"\"inputs\": {Inputs()}")}}}"));
        var members = new[]
        {
            Maybe($"\"nodes\": {(random.Next(10) == 0 ? Any(1) : "{" + string.Join(", ", nodes) + "}")}"),
            Maybe($"\"root\": {(random.Next(5) == 0 ? Any(1) : $"\"{Pick("root", "root", "nixpkgs")}\"")}"),
            Maybe($"\"version\": {Pick("7", "7", "5", "4", "7.0", "\"7\"", "99999999999")}"),
        }.Where(_ => random.Next(8) > 0).OrderBy(_ => random.Next());
        return random.Next(30) == 0 ? Any(0) : "{\n  " + string.Join(",\n  ", members) + "\n}";
    }

    /// <summary>A version 7 lock with the given direct inputs, and a follows input that must not be listed.</summary>
    private static string Lock(params (string Name, string Rev, long LastModified, string? Ref)[] inputs)
    {
        var nodes = inputs.Select(i =>
            $"\"{i.Name}_node\": {{\"locked\": {{\"lastModified\": {i.LastModified}, \"narHash\": \"sha256-x\", \"owner\": \"o\", \"repo\": \"{i.Name}\", \"rev\": \"{i.Rev}\", \"type\": \"github\"}}, " +
            $"\"original\": {{\"owner\": \"o\", \"repo\": \"{i.Name}\"{(i.Ref is null ? "" : $", \"ref\": \"{i.Ref}\"")}, \"type\": \"github\"}}}}");
        var rootInputs = inputs.Select(i => $"\"{i.Name}\": \"{i.Name}_node\"").Append("\"systems\": [\"utils_node\", \"systems\"]");
        return $"{{\"nodes\": {{{string.Join(", ", nodes)}, \"root\": {{\"inputs\": {{{string.Join(", ", rootInputs)}}}}}}}, \"root\": \"root\", \"version\": 7}}";
    }
}
