namespace Ledger.Core.Restore;

/// <summary>
/// What a restore would do: go from <see cref="FromCommit"/> (HEAD now) to a new commit whose tree
/// equals <see cref="TargetCommit"/>'s, the configuration in effect at <see cref="TargetSeq"/>.
/// </summary>
public sealed record RestorePlan(
    string Host,
    string Repo,
    long TargetSeq,
    long TargetEventSeq,
    string TargetEventTitle,
    string TargetCommit,
    string FromCommit,
    IReadOnlyList<PlannedFile> Files,
    int? TargetGeneration)
{
    /// <summary>The target tree is already checked out and committed: nothing to do.</summary>
    public bool AlreadyInEffect => Files.Count == 0;

    public int LinesAdded => Files.Sum(f => f.LinesAdded);

    public int LinesRemoved => Files.Sum(f => f.LinesRemoved);

    /// <summary>The commit message of the restore's new commit.</summary>
    public static string CommitMessage(long targetSeq, string? reason) =>
        $"Restore to event #{targetSeq}: {(string.IsNullOrWhiteSpace(reason) ? "restore-to-event" : reason.Trim())}";
}
