namespace Ledger.Core.Restore;

/// <summary>What the engine found when it did a <see cref="RestoreAction"/>; fed back to <see cref="RestoreDecider"/>.</summary>
public abstract record RestoreStepResult
{
    private RestoreStepResult()
    {
    }

    public sealed record Locked(bool TookOverStale) : RestoreStepResult;

    /// <summary><paramref name="StashCommit"/> is null when there was nothing to set aside.</summary>
    public sealed record Stashed(string? StashCommit) : RestoreStepResult;

    public sealed record Committed(string NewCommit) : RestoreStepResult;

    public sealed record CheckedOut : RestoreStepResult;

    /// <summary>The switch ran; <paramref name="Generation"/> is the system generation after it, when known.</summary>
    public sealed record Switched(string Command, int ExitCode, string OutputTail, TimeSpan Duration, int? Generation) : RestoreStepResult;

    /// <summary>The switching program could not even start (not on this machine).</summary>
    public sealed record SwitchCouldNotStart(string Error) : RestoreStepResult;

    public sealed record ChecklistMissing : RestoreStepResult;

    public sealed record ValidationPassed : RestoreStepResult;

    /// <summary>The checks named in <paramref name="FailedChecks"/> did not pass.</summary>
    public sealed record ValidationFailed(IReadOnlyList<string> FailedChecks) : RestoreStepResult;

    /// <summary>
    /// An <see cref="RestoreAction.Undo"/> ran: the branch, index and files are back at
    /// <paramref name="UndoneTo"/>; <paramref name="Unstashed"/> says whether set-aside changes were put back (null: there were none).
    /// </summary>
    public sealed record Undone(string Step, string Error, string UndoneTo, bool? Unstashed = null) : RestoreStepResult;
}
