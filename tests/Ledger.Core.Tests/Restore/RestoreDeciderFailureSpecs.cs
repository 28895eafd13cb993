using Ledger.Core.Restore;
using static Ledger.Core.Restore.RestoreStepResult;
using static Ledger.Core.Tests.Restore.RestoreJournals;

namespace Ledger.Core.Tests.Restore;

public class RestoreDeciderFailureSpecs
{
    [Fact]
    public void A_failed_switch_takes_the_commit_back_with_the_last_line_of_its_output_as_the_error()
    {
        // Arrange
        var result = new Switched("nixos-rebuild switch", 1, "building...\nerror: syntax error  \n\n", TimeSpan.FromSeconds(3), null);

        // Act
        var next = RestoreDecider.Next(After(RestoreSteps.Checkout), result);

        // Assert
        next.ShouldBe(new RestoreAction.Undo(RestoreSteps.Switch, "nixos-rebuild switch exited 1: error: syntax error"));
    }

    [Fact]
    public void A_failed_switch_without_output_says_so()
    {
        var next = RestoreDecider.Next(After(RestoreSteps.Checkout), new Switched("nixos-rebuild switch", 2, " \n", TimeSpan.Zero, null));

        next.ShouldBeOfType<RestoreAction.Undo>().Error.ShouldBe("nixos-rebuild switch exited 2: (no output)");
    }

    [Fact]
    public void A_switch_that_could_not_start_is_undone_like_any_failed_switch()
    {
        var next = RestoreDecider.Next(After(RestoreSteps.Checkout), new SwitchCouldNotStart("nixos-rebuild was not found"));

        next.ShouldBe(new RestoreAction.Undo(RestoreSteps.Switch, "nixos-rebuild was not found"));
    }

    [Fact]
    public void A_failure_before_any_commit_of_the_restore_has_nothing_to_undo()
    {
        // Arrange: a journal that lost its commit (never written by Ledger, but read from disk).
        var journal = After(RestoreSteps.Checkout) with { NewCommit = null };

        // Act
        var next = RestoreDecider.Next(journal, new SwitchCouldNotStart("no nixos-rebuild"));

        // Assert
        next.ShouldBe(new RestoreAction.Fail(RestoreSteps.Switch, "no nixos-rebuild", null, "Restore r20261127020000-abc123 failed at switch: no nixos-rebuild"));
    }

    [Fact]
    public void After_the_undo_the_restore_fails_saying_its_commit_was_taken_back()
    {
        // Act
        var next = RestoreDecider.Next(After(RestoreSteps.Checkout), new Undone(RestoreSteps.Switch, "nixos-rebuild switch exited 1: boom", From));

        // Assert
        next.ShouldBe(new RestoreAction.Fail(
            RestoreSteps.Switch,
            "nixos-rebuild switch exited 1: boom",
            From,
            "Restore r20261127020000-abc123 failed at switch: nixos-rebuild switch exited 1: boom Its commit was taken back: the repository is at 22222222 again, as before the restore."));
    }

    [Theory]
    [InlineData(true, " Your local changes are back in the working tree.")]
    [InlineData(false, " Your local changes are still in git stash list (4444).")]
    public void After_the_undo_the_message_says_where_the_set_aside_changes_are(bool unstashed, string tail)
    {
        var journal = After(RestoreSteps.Checkout) with { StashCommit = "4444" };

        var next = RestoreDecider.Next(journal, new Undone(RestoreSteps.Switch, "boom", From, unstashed));

        next.ShouldBeOfType<RestoreAction.Fail>().Message.ShouldEndWith(tail);
    }

    [Fact]
    public void Failed_validations_end_the_restore_as_failed_naming_the_checks_and_undo_nothing()
    {
        // Act
        var next = RestoreDecider.Next(After(RestoreSteps.Switch), new ValidationFailed(["disk", "gpu"]));

        // Assert
        next.ShouldBe(new RestoreAction.Fail(
            RestoreSteps.Validate,
            "disk, gpu did not pass",
            null,
            "Restore r20261127020000-abc123 switched to the target, but validation failed: disk, gpu did not pass"));
    }

    [Fact]
    public void A_failed_step_is_never_journaled_as_done()
    {
        // Arrange
        RestoreStepResult[] failures =
        [
            new Switched("nixos-rebuild switch", 1, "", TimeSpan.Zero, null),
            new SwitchCouldNotStart("missing"),
            new ValidationFailed(["disk"]),
            new Undone(RestoreSteps.Switch, "boom", From),
        ];

        // Act / Assert
        foreach (var failure in failures)
        {
            RestoreDecider.Next(After(RestoreSteps.Checkout), failure).ShouldNotBeOfType<RestoreAction.Record>();
        }
    }
}
