namespace Ledger.Core.Restore;

/// <summary>
/// The on-disk record of a restore in progress (beside the repository's .git): enough for
/// <c>ledger restore --resume</c> to finish it after a crash. Written atomically after each step.
/// </summary>
public sealed record RestoreJournal(
    string RestoreId,
    string Host,
    string Repo,
    long TargetSeq,
    string TargetCommit,
    string FromCommit,
    string Via,
    string? Reason,
    bool Automatic,
    int? TargetGeneration,
    IReadOnlyList<string> DoneSteps,
    string? StashCommit = null,
    string? NewCommit = null,
    bool Validate = true,
    string? ChecksPath = null,
    string? Flake = null)
{
    public bool Done(string step) => DoneSteps.Contains(step);

    public RestoreJournal With(string step) => this with { DoneSteps = [.. DoneSteps, step] };
}
