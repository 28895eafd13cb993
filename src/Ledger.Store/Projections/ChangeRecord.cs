namespace Ledger.Store.Projections;

/// <summary>
/// The read model of one configuration change: its commit, folded with everything recorded about it
/// later. Its id is the commit stream key (<see cref="StreamKey"/>), so rebuilding gives the same
/// record. The files of <see cref="Commit"/> carry no patches.
/// </summary>
public sealed record ChangeRecord(
    string StreamKey,
    long Seq,
    DateTimeOffset CommittedAt,
    ConfigEdited Commit,
    long? ParentSeq,
    IReadOnlyList<AnnotationRow> Annotations,
    IReadOnlyList<ValidationRunRow> Validations,
    IReadOnlyList<DeployRow> Deploys,
    IReadOnlyList<RestoreRow> Restores)
{
    /// <summary>The first line of the commit message.</summary>
    public string Subject => Commit.Message.Split('\n', 2)[0].Trim() is { Length: > 0 } s ? s : Commit.Purpose;

    /// <summary>The latest annotated purpose, else the commit's.</summary>
    public string Purpose => Annotations.LastOrDefault(a => a.Purpose is not null)?.Purpose ?? Commit.Purpose;
}

/// <summary>A <c>change_annotated</c> event of the change's stream.</summary>
public sealed record AnnotationRow(long Seq, DateTimeOffset At, string Actor, string? Purpose, string? Notes, string? Validation);

/// <summary>
/// One <c>ledger validate</c> run linked to a change by <c>configCommit</c>: its checks grouped by
/// run id (a run recorded without one is its own run).
/// </summary>
public sealed record ValidationRunRow(string RunId, long FirstSeq, DateTimeOffset At, int Checks, int Passed, IReadOnlyList<string> Failed)
{
    public bool AllPassed => Passed == Checks;
}

/// <summary>A deploy of the change's commit (<c>deploy_finished</c>; a deploy still running has no outcome).</summary>
public sealed record DeployRow(string DeployId, long Seq, DateTimeOffset At, string Action, string? Outcome, bool Validated, int? Generation);

/// <summary>
/// A restore that involved the change: <see cref="Role"/> is <c>target</c> (its configuration was
/// restored) or <c>made</c> (the restore made this commit).
/// </summary>
public sealed record RestoreRow(string RestoreId, long Seq, DateTimeOffset At, string Role, long TargetSeq, bool Automatic, string? Result);
