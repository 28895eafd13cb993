using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

public sealed class PluralSpecs
{
    [Theory]
    [InlineData(0, "event", null, "0 events")]
    [InlineData(1, "event", null, "1 event")]
    [InlineData(2, "change", null, "2 changes")]
    [InlineData(1, "firing", null, "1 firing")]
    [InlineData(12345, "commit", null, "12345 commits")]
    [InlineData(3, "hash", "hashes", "3 hashes")]
    public void A_count_reads_with_its_noun_in_the_right_number(long count, string noun, string? plural, string expected) =>
        Plural.Of(count, noun, plural).ShouldBe(expected);

    [Theory]
    [InlineData(DeployOutcome.Succeeded, "succeeded")]
    [InlineData(DeployOutcome.Failed, "failed")]
    [InlineData(DeployOutcome.ValidationFailed, "validation failed")]
    [InlineData(DeployOutcome.RolledBack, "rolled back")]
    public void A_deploy_outcome_reads_as_words_in_titles(DeployOutcome outcome, string words)
    {
        // Arrange
        var deploy = new DeployFinished("media", "root", "d1", "/etc/nixos", "3e180b70aa", "switch", true, outcome, 42, 1000, 0, null, null);

        // Act
        var title = EventCatalogue.Title(deploy);

        // Assert
        outcome.Describe().ShouldBe(words);
        title.ShouldStartWith($"deploy 3e180b70 {words}");
    }
}
