using System.Text.Json.Serialization;
using Ledger.Core.Nix;

namespace Ledger.Core.Events;

public enum DeployOutcome
{
    Succeeded,
    Failed,
    ValidationFailed,
    RolledBack,
}

/// <summary>How an outcome reads in titles and text: "validation failed", "rolled back".</summary>
public static class DeployOutcomeText
{
    public static string Describe(this DeployOutcome outcome) => outcome switch
    {
        DeployOutcome.ValidationFailed => "validation failed",
        DeployOutcome.RolledBack => "rolled back",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

/// <summary>A deploy (<c>nixos-rebuild ACTION</c>) of a commit began.</summary>
public sealed record DeployStarted(string Host, string Actor, string DeployId, string Repo, string Commit, string Action, string? Flake, string? Message) : ILedgerEvent;

/// <summary>
/// A deploy ended, after its post-deploy validations (and the automatic rollback, if one ran).
/// <see cref="Outcome"/> is never <see cref="DeployOutcome.Succeeded"/> when the end state is not
/// what was asked for (a rolled-back deploy is <see cref="DeployOutcome.RolledBack"/>).
/// <see cref="Validated"/> is true only when the validations ran and all passed: such a deploy is
/// a known-good state that an automatic rollback may return to. The last six fields say what the
/// switch changed (<see cref="SystemChange"/>): the generation before it, the packages that
/// changed, the new generation's <c>nixos-version --json</c>, and what could not be read; absent
/// from deploys recorded before they existed.
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
    string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FromGeneration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PackageChange>? PackageChanges = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NixosVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NixpkgsRevision = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigurationRevision = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SystemProblem = null) : ILedgerEvent;

/// <summary>
/// The system profile moved to another generation without a deploy or restore of Ledger's (a
/// <c>nixos-rebuild</c> by hand, <c>--rollback</c>, a switch from another tool), as the daemon or
/// <c>ledger record generation</c> saw it; with what the switch changed (<see cref="SystemChange"/>).
/// </summary>
public sealed record GenerationActivated(
    string Host,
    string Actor,
    int? FromGeneration,
    int Generation,
    IReadOnlyList<PackageChange>? PackageChanges,
    string? NixosVersion,
    string? NixpkgsRevision,
    string? ConfigurationRevision,
    string? SystemProblem) : ILedgerEvent;
