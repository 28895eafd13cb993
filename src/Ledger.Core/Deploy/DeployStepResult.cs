namespace Ledger.Core.Deploy;

/// <summary>What the engine found when it did a <see cref="DeployAction"/>; folded into the state by <see cref="DeployDecider.Evolve"/>.</summary>
public abstract record DeployStepResult
{
    private DeployStepResult()
    {
    }

    /// <summary>No checklist at <paramref name="Path"/> (or none configured): nothing to validate against.</summary>
    public sealed record ChecklistMissing(string? Path) : DeployStepResult;

    public sealed record Validated(bool Passed) : DeployStepResult;

    /// <summary>No earlier deploy of the repository validated: nothing known-good to go back to.</summary>
    public sealed record NoValidatedDeploy : DeployStepResult;

    /// <summary>The last validated deploy is event <paramref name="Seq"/>.</summary>
    public sealed record RollbackTargetFound(long Seq, string Title) : DeployStepResult;

    /// <summary>The restore to the last validated deploy ended; <paramref name="Message"/> is its outcome's message.</summary>
    public sealed record RolledBack(bool Succeeded, string Message) : DeployStepResult;
}
