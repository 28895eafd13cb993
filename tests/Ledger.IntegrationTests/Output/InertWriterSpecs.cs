using Ledger.Core.Text;

namespace Ledger.IntegrationTests.Output;

/// <summary>The writer the commands print with (no database needed; here because it is internal to the CLI).</summary>
public sealed class InertWriterSpecs
{
    [Fact]
    public async Task Whatever_way_text_is_written_its_control_characters_come_out_escaped_issue_15()
    {
        // Arrange
        var buffer = new StringWriter { NewLine = "\n" };
        var writer = InertWriter.Wrap(buffer);

        // Act
        writer.Write('\u001b');
        writer.Write("[2J");
        await writer.WriteAsync("\u0007");
        await writer.WriteLineAsync(" \u202Eevil\u009b");
        writer.WriteLine("tab\tkept");
        writer.Write("over\rwrite");
        writer.Flush();

        // Assert
        buffer.ToString().ShouldBe("\\e[2J\\a \\u202Eevil\\u009B\ntab\tkept\nover\\rwrite");
    }

    [Fact]
    public async Task A_CR_LF_split_over_two_writes_stays_a_line_break()
    {
        // Arrange
        var buffer = new StringWriter();
        var writer = InertWriter.Wrap(buffer);

        // Act
        writer.Write("one\r");
        await writer.WriteAsync("\ntwo\r");
        writer.Flush();

        // Assert
        buffer.ToString().ShouldBe("one\r\ntwo\\r");
    }

    [Fact]
    public void Json_passes_unchanged()
    {
        // Arrange
        const string json = """{"author": "Evil\u001B]8;;http://x\u001B\\", "message": "rtl\u202E \u0007"}""";
        var buffer = new StringWriter();

        // Act
        InertWriter.Wrap(buffer).Write(json);

        // Assert
        buffer.ToString().ShouldBe(json);
    }

    [Fact]
    public void Wrapping_twice_gives_the_same_writer_and_unwrapping_the_one_underneath()
    {
        var buffer = new StringWriter();
        var once = InertWriter.Wrap(buffer);

        InertWriter.Wrap(once).ShouldBeSameAs(once);
        InertWriter.Unwrap(once).ShouldBeSameAs(buffer);
    }
}
