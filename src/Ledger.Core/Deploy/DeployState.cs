namespace Ledger.Core.Deploy;

/// <summary>
/// What is known about a deploy once its switch has run: the request, the switch's exit code and
/// the results of what came after (see <see cref="DeployDecider"/>). The id is passed in.
/// </summary>
public sealed record DeployState(string DeployId, string Commit, string Action, bool Validate, bool AutoRollback, string SwitchCommand, int SwitchExitCode)
{
    /// <summary><see cref="DeployStepResult.ChecklistMissing"/> or <see cref="DeployStepResult.Validated"/>, once validation was tried.</summary>
    public DeployStepResult? Validation { get; init; }

    /// <summary>The last result of the automatic rollback, once it was tried.</summary>
    public DeployStepResult? Rollback { get; init; }
}
