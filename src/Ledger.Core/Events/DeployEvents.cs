namespace Ledger.Core.Events;

public enum DeployOutcome
{
    Succeeded,
    Failed,
    ValidationFailed,
    RolledBack,
}

/// <summary>A deploy (<c>nixos-rebuild ACTION</c>) of a commit began.</summary>
public sealed record DeployStarted(
    string Host,
    string Actor,
    string DeployId,
    string Repo,
    string Commit,
    string Action,
    string? Flake,
    string? Message) : ILedgerEvent;

/// <summary>
/// A deploy ended. <see cref="Outcome"/> is never <see cref="DeployOutcome.Succeeded"/> when the
/// end state is not what was asked for (a rolled-back deploy is <see cref="DeployOutcome.RolledBack"/>).
/// </summary>
public sealed record DeployFinished(
    string Host,
    string Actor,
    string DeployId,
    string Commit,
    DeployOutcome Outcome,
    int? Generation,
    long DurationMs,
    int ExitCode,
    string? OutputTail,
    string? Error) : ILedgerEvent;
