using System.Text.Json.Serialization;
using Ledger.Core.Nix;

namespace Ledger.Core.Events;

/// <summary>A restore-to-event began: the config in effect at <see cref="TargetSeq"/> is the goal.</summary>
public sealed record RestoreStarted(
    string Host,
    string Actor,
    string RestoreId,
    string Repo,
    long TargetSeq,
    string TargetCommit,
    string FromCommit,
    string Via,
    string? Reason,
    bool Automatic,
    int? TargetGeneration) : ILedgerEvent;

/// <summary>One step of a restore finished (lock, stash, commit, switch, validate, ...).</summary>
public sealed record RestoreStepCompleted(
    string Host,
    string Actor,
    string RestoreId,
    string Step,
    string Detail,
    long DurationMs) : ILedgerEvent;

/// <summary>A restore finished; like <see cref="DeployFinished"/>, it says what the switch changed in the last six fields.</summary>
public sealed record RestoreCompleted(
    string Host,
    string Actor,
    string RestoreId,
    string Repo,
    long TargetSeq,
    string NewCommit,
    int? Generation,
    long DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FromGeneration = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PackageChange>? PackageChanges = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NixosVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NixpkgsRevision = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfigurationRevision = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SystemProblem = null) : ILedgerEvent;

/// <summary>
/// A restore failed at <see cref="Step"/>; <see cref="UndoneTo"/> names the commit whose tree the
/// repository was put back to (null when the repository had not been touched yet).
/// </summary>
public sealed record RestoreFailed(
    string Host,
    string Actor,
    string RestoreId,
    string Step,
    string Error,
    string? UndoneTo) : ILedgerEvent;
