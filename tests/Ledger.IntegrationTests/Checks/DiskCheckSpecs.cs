using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap.Buffered;
using Ledger.Capture.Checks;
using Ledger.Core.Events;
using Ledger.Core.Validation;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Checks;

public sealed partial class DiskCheckSpecs
{
    [Fact]
    public async Task The_root_filesystem_passes_a_limit_of_100_percent()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/", 100));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Pass);
        outcome.Summary.ShouldMatch(@"^/ is \d+\.\d% full \(limit 100%\)$");
    }

    [Fact]
    public async Task The_root_filesystem_fails_a_limit_of_0_percent()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/", 0));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Fail);
        var finding = outcome.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe("/");
        finding.Message.ShouldMatch(@"^is \d+\.\d% full, over the limit of 0% \(.+ available\)$");
    }

    [Fact]
    public async Task The_percentage_is_the_one_df_shows()
    {
        // Arrange
        var df = await CliWrap.Cli.Wrap("df").WithArguments(["--output=pcent", "/"]).ExecuteBufferedAsync();
        var dfPercent = int.Parse(df.StandardOutput.Split('\n')[1].Trim().TrimEnd('%'), CultureInfo.InvariantCulture);

        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/", 100));

        // Assert: df rounds up; other processes may write in between.
        var percent = double.Parse(Percent().Match(outcome.Summary).Groups[1].Value, CultureInfo.InvariantCulture);
        Math.Ceiling(percent).ShouldBeInRange(dfPercent - 1, dfPercent + 1);
    }

    [Fact]
    public async Task A_missing_mount_point_is_an_error()
    {
        // Act
        var outcome = await new CheckRunner().RunAsync(Check("/mnt/no-such-disk", 90));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe("/mnt/no-such-disk does not exist");
    }

    [Fact]
    public async Task A_folder_where_nothing_is_mounted_is_an_error()
    {
        // Arrange: an unmounted /mnt/cold is a plain folder on the root filesystem.
        using var folder = new TempDirectory("ledger-cold");

        // Act
        var outcome = await new CheckRunner().RunAsync(Check(folder.Path + "/", 90));

        // Assert
        outcome.Status.ShouldBe(ValidationStatus.Error);
        outcome.Summary.ShouldBe($"nothing is mounted at {folder.Path}");
    }

    private static DiskCheck Check(string mount, double maxUsedPercent) =>
        new("disk", TimeSpan.FromSeconds(10), mount, maxUsedPercent);

    [GeneratedRegex(@"is (\d+\.\d)% full")]
    private static partial Regex Percent();
}
