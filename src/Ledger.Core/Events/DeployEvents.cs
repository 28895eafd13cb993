namespace Ledger.Core.Events;

public enum DeployOutcome
{
    Succeeded,
    Failed,
    ValidationFailed,
    RolledBack,
}

/// <summary>A deploy (<c>nixos-rebuild ACTION</c>) of a commit began.</summary>
public sealed record DeployStarted(string Host, string Actor, string DeployId, string Repo, string Commit, string Action, string? Flake, string? Message) : ILedgerEvent;

/// <summary>
/// A deploy ended, after its post-deploy validations (and the automatic rollback, if one ran).
/// <see cref="Outcome"/> is never <see cref="DeployOutcome.Succeeded"/> when the end state is not
/// what was asked for (a rolled-back deploy is <see cref="DeployOutcome.RolledBack"/>).
/// <see cref="Validated"/> is true only when the validations ran and all passed: such a deploy is
/// a known-good state that an automatic rollback may return to.
/// </summary>
public sealed record DeployFinished(
    string Host,
    string Actor,
    string DeployId,
    string Repo,
    string Commit,
    string Action,
    bool Validated,
    DeployOutcome Outcome,
    int? Generation,
    long DurationMs,
    int ExitCode,
    string? OutputTail,
    string? Error) : ILedgerEvent;
