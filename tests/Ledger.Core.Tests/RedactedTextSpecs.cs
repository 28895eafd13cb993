using System.Text;
using System.Text.Json;
using Ledger.Core.Events;

namespace Ledger.Core.Tests;

/// <summary>
/// A patch is written in segments (<see cref="RedactedText.SegmentChars"/>) so that escaping it
/// does not rent an array six times its length (issue 19); the JSON must be byte for byte what
/// writing it whole produced, or the same commit would be stored differently by two builds.
/// </summary>
public sealed class RedactedTextSpecs
{
    private static readonly string[] Pieces =
    [
        "a", "abc def ", "\n", "\r\n", "\t", "\"", "\\", "/", "<", ">", "&", "'", "+", "`", "\0", "\u0001", "\u001f", "\u007f",
        "é", "中文", "\u2028", "\u2029", "\u00ad", "\ufeff", "\ud83d\ude00", "\ud83c\udf89", "\ud800", "\udc00", "\uffff",
        "password = \"x\"", "    services.jellyfin.enable = true;\n",
    ];

    /// <summary>The bytes the writer produced for the whole string, NULs made visible, before segments.</summary>
    private static byte[] Whole(string text) => Written(w => w.WriteStringValue(StoredText.Storable(text)));

    private static byte[] Segmented(string text) => Written(w => new RedactedText().Write(w, text, EventJson.Options));

    private static byte[] Written(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("patch");
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Random(Random random, int length)
    {
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    [Fact]
    public void A_long_patch_is_written_as_the_whole_string_was()
    {
        // Arrange
        var random = new Random(19);
        var n = RedactedText.SegmentChars;
        int[] lengths = [0, 1, n - 1, n, n + 1, 2 * n - 1, 2 * n, 2 * n + 1, 3 * n + 17, 70_000, 262_144];

        foreach (var length in lengths.Concat(Enumerable.Range(0, 300).Select(_ => random.Next(4 * n))))
        {
            var text = Random(random, length);

            // Act
            var segmented = Segmented(text);

            // Assert
            Encoding.UTF8.GetString(segmented).ShouldBe(Encoding.UTF8.GetString(Whole(text)), $"length {text.Length}");
        }
    }

    /// <summary>Pieces by name: xUnit cannot tell apart test cases whose data is a lone surrogate.</summary>
    private static readonly Dictionary<string, string> Named = new()
    {
        ["surrogate pair"] = "\ud83d\ude00",
        ["lone high surrogate"] = "\ud800x",
        ["lone low surrogate"] = "\udc00",
        ["high surrogate alone at the end"] = "\ud83d",
        ["low surrogate alone at the end"] = "\ude00",
        ["NULs"] = "\0\0",
        ["escapes"] = "\\\"\n",
    };

    [Theory]
    [InlineData("surrogate pair")]
    [InlineData("lone high surrogate")]
    [InlineData("lone low surrogate")]
    [InlineData("NULs")]
    [InlineData("escapes")]
    public void What_straddles_a_segment_boundary_is_written_as_the_whole_string_was(string name)
    {
        var middle = Named[name];

        // Arrange: the piece starts on the last character of the first segment
        for (var at = RedactedText.SegmentChars - 2; at <= RedactedText.SegmentChars + 1; at++)
        {
            var text = new string('a', at) + middle + new string('b', RedactedText.SegmentChars);

            // Act
            var segmented = Segmented(text);

            // Assert
            segmented.ShouldBe(Whole(text), $"at {at}");
        }
    }

    [Theory]
    [InlineData("high surrogate alone at the end")]
    [InlineData("low surrogate alone at the end")]
    [InlineData("NULs")]
    public void A_long_patch_ending_in_an_odd_character_is_written_as_the_whole_string_was(string name)
    {
        // Arrange
        var text = new string('x', RedactedText.SegmentChars * 2) + Named[name];

        // Act
        var segmented = Segmented(text);

        // Assert
        segmented.ShouldBe(Whole(text));
    }

    [Fact]
    public void An_event_with_a_long_patch_reads_back_with_its_NULs_made_visible()
    {
        // Arrange
        var patch = string.Concat(Enumerable.Repeat("+line \"quoted\" \0 é \ud83d\ude00\n", 5000));
        var change = new FileChange("a.nix", null, FileChangeKind.Modified, 5000, 0, [], false, patch);

        // Act
        var json = JsonSerializer.Serialize(change, EventJson.Options);
        var back = JsonSerializer.Deserialize<FileChange>(json, EventJson.Options)!;

        // Assert
        back.Patch.ShouldBe(patch.Replace('\0', StoredText.NulSymbol));
    }
}
