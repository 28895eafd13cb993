using Ledger.Cli.Output;
using Ledger.Core.Text;

namespace Ledger.IntegrationTests.Output;

/// <summary>PASS/FAIL/ERROR in colour on a terminal, and nothing recorded gets an escape through.</summary>
public sealed class StatusColourSpecs
{
    [Fact]
    public async Task The_status_word_Ledger_wrote_is_coloured_and_the_rest_stays_inert()
    {
        // Arrange
        var screen = new StringWriter();
        var writer = new StatusColourWriter(InertWriter.Wrap(screen), screen);

        // Act
        await writer.WriteLineAsync("PASS   disk-root  (disk, 0.0 s, #10)  / is 21.2% full (limit 90%)");
        await writer.WriteLineAsync("FAIL   jellyfin  (http, 0.1 s, #11)  503 from \u001b[2Jhttp://127.0.0.1:8096");
        await writer.WriteLineAsync("ERROR  gpu  (gpu, 0.0 s, #12)  nvidia-smi not found");
        await writer.WriteLineAsync("PASSED is not a status word");
        await writer.WriteLineAsync("1 of 3 checks passed.");

        // Assert
        var lines = screen.ToString().Split(Environment.NewLine);
        lines[0].ShouldBe("\u001b[32mPASS\u001b[0m   disk-root  (disk, 0.0 s, #10)  / is 21.2% full (limit 90%)");
        lines[1].ShouldStartWith("\u001b[31mFAIL\u001b[0m   jellyfin");
        lines[1].Count(c => c == '\u001b').ShouldBe(2, "the recorded escape is made visible, not sent");
        lines[2].ShouldStartWith("\u001b[1;31mERROR\u001b[0m  gpu");
        lines[3].ShouldBe("PASSED is not a status word");
        lines[4].ShouldBe("1 of 3 checks passed.");
    }
}
