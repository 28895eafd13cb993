using Ledger.Core.Restore;
using static Ledger.Core.Restore.RestoreStepResult;
using static Ledger.Core.Tests.Restore.RestoreJournals;

namespace Ledger.Core.Tests.Restore;

public class RestoreDeciderSpecs
{
    [Fact]
    public void A_new_restore_begins_with_its_lock()
    {
        // Act
        var next = RestoreDecider.Next(Fresh, last: null);

        // Assert
        next.ShouldBe(new RestoreAction.Lock());
    }

    [Theory]
    [InlineData(false, "repository locked")]
    [InlineData(true, "took over a stale lock")]
    public void The_lock_is_journaled_saying_whether_a_stale_lock_was_taken_over(bool tookOver, string detail)
    {
        // Act
        var next = RestoreDecider.Next(Fresh, new Locked(tookOver));

        // Assert
        var record = next.ShouldBeOfType<RestoreAction.Record>();
        record.Step.ShouldBe(RestoreSteps.Lock);
        record.Detail.ShouldBe(detail);
        record.Journal.DoneSteps.ShouldBe([RestoreSteps.Lock]);
    }

    [Fact]
    public void After_the_lock_local_changes_are_set_aside_under_a_message_naming_the_restore()
    {
        RestoreDecider.Next(After(RestoreSteps.Lock), last: null)
            .ShouldBe(new RestoreAction.Stash("ledger restore r20261127020000-abc123: local changes set aside"));
    }

    [Fact]
    public void A_clean_repository_journals_that_there_was_nothing_to_set_aside()
    {
        // Act
        var record = RestoreDecider.Next(After(RestoreSteps.Lock), new Stashed(null)).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        record.Detail.ShouldBe("nothing to set aside");
        record.Journal.StashCommit.ShouldBeNull();
        record.Journal.DoneSteps.ShouldBe([RestoreSteps.Lock, RestoreSteps.Stash]);
    }

    [Fact]
    public void A_stash_is_journaled_with_its_commit_so_the_changes_can_be_found_again()
    {
        // Act
        var record = RestoreDecider.Next(After(RestoreSteps.Lock), new Stashed("4444")).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        record.Detail.ShouldBe("local changes stashed as 4444 (git stash list)");
        record.Journal.StashCommit.ShouldBe("4444");
    }

    [Fact]
    public void After_the_stash_comes_the_commit_with_the_restore_message()
    {
        RestoreDecider.Next(After(RestoreSteps.Stash), last: null)
            .ShouldBe(new RestoreAction.Commit("Restore to event #12: GPU module is needed"));
    }

    [Fact]
    public void The_new_commit_goes_into_the_journal_with_the_step()
    {
        // Act
        var record = RestoreDecider.Next(After(RestoreSteps.Stash), new Committed(NewCommit)).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        record.Step.ShouldBe(RestoreSteps.Commit);
        record.Detail.ShouldBe("new commit 33333333 with the tree of 11111111 (recorded once the switch succeeds)");
        record.Journal.NewCommit.ShouldBe(NewCommit);
    }

    [Fact]
    public void After_the_commit_the_working_tree_is_checked_out_and_journaled()
    {
        // Act
        var next = RestoreDecider.Next(After(RestoreSteps.Commit), last: null);
        var record = RestoreDecider.Next(After(RestoreSteps.Commit), new CheckedOut()).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        next.ShouldBe(new RestoreAction.Checkout());
        record.Step.ShouldBe(RestoreSteps.Checkout);
        record.Detail.ShouldBe("working tree now equals the target tree");
    }

    [Fact]
    public void Via_git_the_switch_is_a_rebuild_of_the_journaled_flake()
    {
        RestoreDecider.Next(After(RestoreSteps.Checkout), last: null).ShouldBe(new RestoreAction.Switch(null, ".#box"));
    }

    [Fact]
    public void Via_generation_the_switch_goes_to_the_recorded_generation()
    {
        var journal = After(RestoreSteps.Checkout).Planned(p => p with { Via = RestoreVia.Generation });

        RestoreDecider.Next(journal, last: null).ShouldBe(new RestoreAction.Switch(41, ".#box"));
    }

    [Fact]
    public void Via_generation_without_a_recorded_generation_the_switch_is_a_rebuild()
    {
        var journal = After(RestoreSteps.Checkout).Planned(p => p with { Via = RestoreVia.Generation, TargetGeneration = null });

        RestoreDecider.Next(journal, last: null).ShouldBe(new RestoreAction.Switch(null, ".#box"));
    }

    [Theory]
    [InlineData(42, ", generation 42")]
    [InlineData(null, "")]
    public void A_successful_switch_is_journaled_with_its_command_duration_and_generation(int? generation, string suffix)
    {
        // Act
        var result = new Switched("nixos-rebuild switch", 0, "done\n", TimeSpan.FromSeconds(2.5), generation);
        var record = RestoreDecider.Next(After(RestoreSteps.Checkout), result).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        record.Step.ShouldBe(RestoreSteps.Switch);
        record.Detail.ShouldBe($"nixos-rebuild switch succeeded in {2.5:0.0} s{suffix}");
    }

    [Fact]
    public void After_the_switch_the_journaled_checklist_is_run()
    {
        RestoreDecider.Next(After(RestoreSteps.Switch), last: null).ShouldBe(new RestoreAction.Validate("/etc/ledger/checks.json"));
    }

    [Fact]
    public void A_restore_asked_not_to_validate_journals_the_skip_without_running_anything()
    {
        // Act
        var record = RestoreDecider.Next(After(RestoreSteps.Switch) with { Validate = false }, last: null).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        record.Step.ShouldBe(RestoreSteps.Validate);
        record.Detail.ShouldBe("validations skipped (--no-validate)");
    }

    [Fact]
    public void A_restore_without_a_checklist_path_journals_that_it_was_not_validated()
    {
        var record = RestoreDecider.Next(After(RestoreSteps.Switch) with { ChecksPath = null }, last: null).ShouldBeOfType<RestoreAction.Record>();

        record.Detail.ShouldBe("no checklist at : not validated");
    }

    [Fact]
    public void A_checklist_that_is_gone_is_journaled_as_not_validated()
    {
        var record = RestoreDecider.Next(After(RestoreSteps.Switch), new ChecklistMissing()).ShouldBeOfType<RestoreAction.Record>();

        record.Detail.ShouldBe("no checklist at /etc/ledger/checks.json: not validated");
    }

    [Fact]
    public void Passed_validations_are_journaled_as_the_last_step()
    {
        // Act
        var record = RestoreDecider.Next(After(RestoreSteps.Switch), new ValidationPassed()).ShouldBeOfType<RestoreAction.Record>();

        // Assert
        record.Detail.ShouldBe("validations passed");
        record.Journal.DoneSteps.ShouldBe(RestoreSteps.All);
    }

    [Fact]
    public void With_every_step_done_the_restore_completes_naming_the_new_commit()
    {
        RestoreDecider.Next(After(RestoreSteps.Validate), last: null)
            .ShouldBe(new RestoreAction.Complete("Restored /etc/nixos to event #12 as commit 33333333."));
    }

    [Fact]
    public void A_whole_restore_journals_every_step_in_order_and_completes()
    {
        // Arrange
        RestoreStepResult[] results = [new Locked(false), new Stashed(null), new Committed(NewCommit), new CheckedOut(), new Switched("nixos-rebuild switch", 0, "", TimeSpan.Zero, 42), new ValidationPassed()];
        var journal = Fresh;
        var recorded = new List<string>();

        // Act
        foreach (var result in results)
        {
            RestoreDecider.Next(journal, last: null).ShouldNotBeOfType<RestoreAction.Record>();
            var record = RestoreDecider.Next(journal, result).ShouldBeOfType<RestoreAction.Record>();
            recorded.Add(record.Step);
            journal = record.Journal;
        }

        // Assert
        recorded.ShouldBe(RestoreSteps.All);
        RestoreDecider.Next(journal, last: null).ShouldBeOfType<RestoreAction.Complete>();
    }

    [Theory]
    [InlineData("lock", typeof(RestoreAction.Stash))]
    [InlineData("stash", typeof(RestoreAction.Commit))]
    [InlineData("commit", typeof(RestoreAction.Checkout))]
    [InlineData("checkout", typeof(RestoreAction.Switch))]
    [InlineData("switch", typeof(RestoreAction.Validate))]
    [InlineData("validate", typeof(RestoreAction.Complete))]
    public void A_restore_killed_after_a_step_resumes_with_the_step_after_it(string step, Type expected)
    {
        RestoreDecider.Next(After(step), last: null).ShouldBeOfType(expected);
    }
}
