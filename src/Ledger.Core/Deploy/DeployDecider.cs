using Ledger.Core.Errors;
using Ledger.Core.Events;
using static Ledger.Core.Deploy.DeployStepResult;

namespace Ledger.Core.Deploy;

/// <summary>
/// The decisions of a deploy after its switch, apart from its I/O: validate or not, roll back to
/// the last validated deploy or not, and how the deploy ends (outcome, message, exit code). The
/// engine asks <see cref="Next"/>, does the action, folds the result in with <see cref="Evolve"/>
/// and asks again until the answer is <see cref="DeployAction.Finish"/>. A deploy whose end state
/// is not what was asked for never exits 0.
/// </summary>
public static class DeployDecider
{
    public static DeployState Evolve(DeployState state, DeployStepResult result) => result switch
    {
        ChecklistMissing or Validated => state with { Validation = result },
        _ => state with { Rollback = result },
    };

    public static DeployAction Next(DeployState state)
    {
        if (state.SwitchExitCode != 0)
        {
            return Unsuccessful(state, DeployOutcome.Failed, $"{state.SwitchCommand} exited {state.SwitchExitCode}");
        }

        if (!state.Validate)
        {
            return Finish(state, DeployOutcome.Succeeded, validated: false, problem: null, rollbackNote: null, "Validations skipped (--no-validate): this deploy is not a known-good point for rollbacks.");
        }

        return state.Validation switch
        {
            null => new DeployAction.Validate(),
            ChecklistMissing m => Finish(
                state, DeployOutcome.Succeeded, validated: false, problem: null, rollbackNote: null, $"No checklist at {m.Path}: not validated (ledger validate --example-config shows one)."),
            Validated { Passed: true } => Finish(state, DeployOutcome.Succeeded, validated: true, problem: null, rollbackNote: null, notice: null),
            _ => Unsuccessful(state, DeployOutcome.ValidationFailed, "post-deploy validation did not pass"),
        };
    }

    /// <summary>The deploy did not reach a validated state: with --auto-rollback, go back to the last deploy that validated.</summary>
    private static DeployAction Unsuccessful(DeployState state, DeployOutcome outcome, string problem)
    {
        if (!state.AutoRollback)
        {
            return Finish(state, outcome, validated: false, problem, rollbackNote: null, notice: null);
        }

        return state.Rollback switch
        {
            null => new DeployAction.FindRollbackTarget(),
            RollbackTargetFound t => new DeployAction.RollBack(
                t.Seq, $"Rolling back automatically to deploy #{t.Seq} ({t.Title}):", $"automatic rollback of deploy {state.DeployId}: {problem}"),
            NoValidatedDeploy => Finish(state, outcome, validated: false, problem, "no earlier deploy validated, so there is nothing known-good to roll back to", notice: null),
            RolledBack r => Finish(state, r.Succeeded ? DeployOutcome.RolledBack : outcome, validated: false, problem, r.Message, notice: null),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state.Rollback, "Not a result of a rollback."),
        };
    }

    private static DeployAction.Finish Finish(DeployState state, DeployOutcome outcome, bool validated, string? problem, string? rollbackNote, string? notice)
    {
        var commit = EventCatalogue.ShortSha(state.Commit);
        var detail = problem is null ? rollbackNote : $"{problem}{(rollbackNote is null ? "" : "; " + rollbackNote)}";
        var message = outcome switch
        {
            DeployOutcome.Succeeded => $"Deployed {commit} ({state.Action})" + (validated ? ", validated." : ", not validated."),
            DeployOutcome.RolledBack => $"Deploy of {commit} was ROLLED BACK: {problem}. {rollbackNote}",
            _ => $"Deploy of {commit} FAILED: {problem}."
                + (rollbackNote is null ? (state.AutoRollback ? "" : " Add --auto-rollback to go back to the last validated deploy automatically.") : $" {rollbackNote}"),
        };
        return new DeployAction.Finish(outcome, validated, detail, notice, message, outcome == DeployOutcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure);
    }
}
