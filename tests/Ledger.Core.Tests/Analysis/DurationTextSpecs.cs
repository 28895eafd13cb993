using Ledger.Core.Errors;
using Ledger.Core.Text;

namespace Ledger.Core.Tests.Analysis;

public class DurationTextSpecs
{
    [Theory]
    [InlineData("72h", 72 * 60)]
    [InlineData("3d", 3 * 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("45min", 45)]
    [InlineData("1h30m", 90)]
    [InlineData(" 2d 6h ", (2 * 24 * 60) + (6 * 60))]
    public void Durations_are_number_unit_pairs(string text, int minutes)
    {
        DurationText.Parse(text, "--window").ShouldBe(TimeSpan.FromMinutes(minutes));
    }

    [Theory]
    [InlineData("72")]
    [InlineData("3 days")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("")]
    public void Anything_else_is_refused_naming_the_option(string text)
    {
        var e = Should.Throw<LedgerException>(() => DurationText.Parse(text, "--window"));
        e.Message.ShouldStartWith("--window");
        e.ExitCode.ShouldBe(ExitCodes.UsageOrEnvironment);
    }

    [Theory]
    [InlineData(40, "40 s")]
    [InlineData(12 * 60, "12 min")]
    [InlineData((3 * 3600) + (10 * 60), "3 h 10 min")]
    [InlineData(2 * 3600, "2 h")]
    [InlineData((2 * 86400) + (4 * 3600) + 59, "2 d 4 h")]
    public void Spans_are_said_in_their_two_largest_units(int seconds, string said)
    {
        DurationText.Format(TimeSpan.FromSeconds(seconds)).ShouldBe(said);
    }
}
