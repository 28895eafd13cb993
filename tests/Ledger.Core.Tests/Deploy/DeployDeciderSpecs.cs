using Ledger.Core.Deploy;
using Ledger.Core.Events;
using static Ledger.Core.Deploy.DeployStepResult;

namespace Ledger.Core.Tests.Deploy;

public class DeployDeciderSpecs
{
    private const string Commit = "abcdef0123456789abcdef0123456789abcdef01";
    private const string AddRollback = " Add --auto-rollback to go back to the last validated deploy automatically.";

    private static DeployState Switched(int exitCode = 0, bool validate = true, bool autoRollback = false) =>
        new("d20261127020000-abc123", Commit, "switch", validate, autoRollback, "nixos-rebuild switch", exitCode);

    [Fact]
    public void After_a_successful_switch_what_is_now_running_is_validated()
    {
        DeployDecider.Next(Switched()).ShouldBe(new DeployAction.Validate());
    }

    [Fact]
    public void A_deploy_asked_not_to_validate_succeeds_unvalidated_and_says_it_is_no_known_good_point()
    {
        DeployDecider.Next(Switched(validate: false)).ShouldBe(new DeployAction.Finish(
            DeployOutcome.Succeeded, false, null, "Validations skipped (--no-validate): this deploy is not a known-good point for rollbacks.", "Deployed abcdef01 (switch), not validated.", 0));
    }

    [Fact]
    public void A_deploy_without_a_checklist_succeeds_unvalidated_and_names_the_missing_file()
    {
        // Act
        var next = DeployDecider.Next(DeployDecider.Evolve(Switched(), new ChecklistMissing("/etc/ledger/checks.json")));

        // Assert
        next.ShouldBe(new DeployAction.Finish(
            DeployOutcome.Succeeded,
            false,
            null,
            "No checklist at /etc/ledger/checks.json: not validated (ledger validate --example-config shows one).",
            "Deployed abcdef01 (switch), not validated.",
            0));
    }

    [Fact]
    public void A_deploy_that_validates_succeeds_validated_and_exits_0()
    {
        var next = DeployDecider.Next(DeployDecider.Evolve(Switched(), new Validated(true)));

        next.ShouldBe(new DeployAction.Finish(DeployOutcome.Succeeded, true, null, null, "Deployed abcdef01 (switch), validated.", 0));
    }

    [Fact]
    public void A_failed_validation_without_auto_rollback_fails_exits_1_and_suggests_the_option()
    {
        var next = DeployDecider.Next(DeployDecider.Evolve(Switched(), new Validated(false)));

        next.ShouldBe(new DeployAction.Finish(
            DeployOutcome.ValidationFailed, false, "post-deploy validation did not pass", null, $"Deploy of abcdef01 FAILED: post-deploy validation did not pass.{AddRollback}", 1));
    }

    [Fact]
    public void A_failed_switch_without_auto_rollback_fails_without_validating()
    {
        DeployDecider.Next(Switched(exitCode: 1)).ShouldBe(new DeployAction.Finish(
            DeployOutcome.Failed, false, "nixos-rebuild switch exited 1", null, $"Deploy of abcdef01 FAILED: nixos-rebuild switch exited 1.{AddRollback}", 1));
    }

    [Fact]
    public void A_failed_switch_is_not_excused_by_no_validate()
    {
        DeployDecider.Next(Switched(exitCode: 127, validate: false)).ShouldBeOfType<DeployAction.Finish>().Outcome.ShouldBe(DeployOutcome.Failed);
    }

    [Fact]
    public void With_auto_rollback_a_failed_deploy_first_looks_for_the_last_validated_deploy()
    {
        DeployDecider.Next(Switched(exitCode: 1, autoRollback: true)).ShouldBe(new DeployAction.FindRollbackTarget());
        DeployDecider.Next(DeployDecider.Evolve(Switched(autoRollback: true), new Validated(false))).ShouldBe(new DeployAction.FindRollbackTarget());
    }

    [Fact]
    public void A_found_target_is_restored_to_with_the_problem_as_the_reason()
    {
        // Arrange
        var state = DeployDecider.Evolve(Switched(autoRollback: true), new Validated(false));

        // Act
        var next = DeployDecider.Next(DeployDecider.Evolve(state, new RollbackTargetFound(7, "deploy abc switch succeeded")));

        // Assert
        next.ShouldBe(new DeployAction.RollBack(
            7,
            "Rolling back automatically to deploy #7 (deploy abc switch succeeded):",
            "automatic rollback of deploy d20261127020000-abc123: post-deploy validation did not pass"));
    }

    [Fact]
    public void A_successful_rollback_ends_the_deploy_as_rolled_back_and_still_exits_1()
    {
        // Arrange
        var state = DeployDecider.Evolve(Switched(exitCode: 1, autoRollback: true), new RollbackTargetFound(7, "t"));

        // Act
        var next = DeployDecider.Next(DeployDecider.Evolve(state, new RolledBack(true, "Restored /etc/nixos to event #7 as commit 12345678.")));

        // Assert
        next.ShouldBe(new DeployAction.Finish(
            DeployOutcome.RolledBack,
            false,
            "nixos-rebuild switch exited 1; Restored /etc/nixos to event #7 as commit 12345678.",
            null,
            "Deploy of abcdef01 was ROLLED BACK: nixos-rebuild switch exited 1. Restored /etc/nixos to event #7 as commit 12345678.",
            1));
    }

    [Fact]
    public void A_failed_rollback_keeps_the_deploys_own_outcome_and_reports_the_restore()
    {
        // Arrange
        var state = DeployDecider.Evolve(DeployDecider.Evolve(Switched(autoRollback: true), new Validated(false)), new RollbackTargetFound(7, "t"));

        // Act
        var next = DeployDecider.Next(DeployDecider.Evolve(state, new RolledBack(false, "Restore r1 failed at switch: boom")));

        // Assert
        next.ShouldBe(new DeployAction.Finish(
            DeployOutcome.ValidationFailed,
            false,
            "post-deploy validation did not pass; Restore r1 failed at switch: boom",
            null,
            "Deploy of abcdef01 FAILED: post-deploy validation did not pass. Restore r1 failed at switch: boom",
            1));
    }

    [Fact]
    public void With_no_validated_deploy_to_go_back_to_the_deploy_fails_and_says_why()
    {
        var next = DeployDecider.Next(DeployDecider.Evolve(Switched(exitCode: 1, autoRollback: true), new NoValidatedDeploy()));

        next.ShouldBe(new DeployAction.Finish(
            DeployOutcome.Failed,
            false,
            "nixos-rebuild switch exited 1; no earlier deploy validated, so there is nothing known-good to roll back to",
            null,
            "Deploy of abcdef01 FAILED: nixos-rebuild switch exited 1. no earlier deploy validated, so there is nothing known-good to roll back to",
            1));
    }

    [Fact]
    public void Validation_results_and_rollback_results_are_kept_apart()
    {
        // Act
        var state = DeployDecider.Evolve(DeployDecider.Evolve(Switched(autoRollback: true), new Validated(false)), new NoValidatedDeploy());

        // Assert
        state.Validation.ShouldBe(new Validated(false));
        state.Rollback.ShouldBe(new NoValidatedDeploy());
    }
}
