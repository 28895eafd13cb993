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
