using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Core.Restore;
using static Ledger.Core.Tests.Restore.RestoreJournals;

namespace Ledger.Core.Tests.Restore;

public class RestoreJournalSpecs
{
    [Fact]
    public void A_journal_reads_back_as_it_was_written()
    {
        // Arrange
        var written = After(RestoreSteps.Commit);
        var json = JsonSerializer.Serialize(written, EventJson.Indented);

        // Act
        var read = RestoreJournal.FromJson(json);

        // Assert
        read.ShouldNotBeNull();
        read.Started.ShouldBe(written.Started);
        read.DoneSteps.ShouldBe(written.DoneSteps);
        read.NewCommit.ShouldBe(NewCommit);
        read.ChecksPath.ShouldBe("/etc/ledger/checks.json");
        read.Flake.ShouldBe(".#box");
    }

    [Fact]
    public void A_journal_written_before_the_plan_was_nested_still_resumes()
    {
        // Arrange: the flat form that earlier versions wrote beside .git
        const string json = """
            {
              "restoreId": "r20261127020000-abc123",
              "host": "box",
              "repo": "/etc/nixos",
              "targetSeq": 12,
              "targetCommit": "1111111111111111111111111111111111111111",
              "fromCommit": "2222222222222222222222222222222222222222",
              "via": "generation",
              "reason": "GPU module is needed",
              "automatic": true,
              "targetGeneration": 41,
              "doneSteps": ["lock", "stash"],
              "stashCommit": "4444444444444444444444444444444444444444",
              "validate": false
            }
            """;

        // Act
        var read = RestoreJournal.FromJson(json);

        // Assert
        read.ShouldNotBeNull();
        read.RestoreId.ShouldBe("r20261127020000-abc123");
        read.Host.ShouldBe("box");
        read.TargetSeq.ShouldBe(12);
        read.TargetCommit.ShouldBe(Target);
        read.FromCommit.ShouldBe(From);
        read.Via.ShouldBe(RestoreVia.Generation);
        read.Reason.ShouldBe("GPU module is needed");
        read.Started.Automatic.ShouldBeTrue();
        read.TargetGeneration.ShouldBe(41);
        read.DoneSteps.ShouldBe(["lock", "stash"]);
        read.StashCommit.ShouldBe("4444444444444444444444444444444444444444");
        read.Validate.ShouldBeFalse();
    }
}
