using Ledger.Core.Events;
using static Ledger.Core.Restore.RestoreStepResult;

namespace Ledger.Core.Restore;

/// <summary>
/// The decisions of a restore, apart from its I/O. The engine asks <see cref="Next"/> with the
/// journal and the result of what it just did, does the action it gets back and asks again, until
/// the answer is <see cref="RestoreAction.Complete"/> or <see cref="RestoreAction.Fail"/>. The
/// journal alone says where a restore stands, so a restore killed after any step resumes by
/// asking with its journal and no result.
/// </summary>
public static class RestoreDecider
{
    public static RestoreAction Next(RestoreJournal journal, RestoreStepResult? last) => last switch
    {
        null => NextStep(journal),
        Locked l => Done(journal, RestoreSteps.Lock, l.TookOverStale ? "took over a stale lock" : "repository locked"),
        Stashed { StashCommit: null } => Done(journal, RestoreSteps.Stash, "nothing to set aside"),
        Stashed s => Done(journal with { StashCommit = s.StashCommit }, RestoreSteps.Stash, $"local changes stashed as {s.StashCommit} (git stash list)"),
        Committed c => Done(
            journal with { NewCommit = c.NewCommit },
            RestoreSteps.Commit,
            $"new commit {EventCatalogue.ShortSha(c.NewCommit)} with the tree of {EventCatalogue.ShortSha(journal.TargetCommit)} (recorded once the switch succeeds)"),
        CheckedOut => Done(journal, RestoreSteps.Checkout, "working tree now equals the target tree"),
        Switched { ExitCode: 0 } s => Done(
            journal,
            RestoreSteps.Switch,
            $"{s.Command} succeeded in {s.Duration.TotalSeconds:0.0} s" + (s.Generation is { } gen ? $", generation {gen}" : "")),
        Switched s => Failure(journal, RestoreSteps.Switch, $"{s.Command} exited {s.ExitCode}: {LastLine(s.OutputTail)}"),
        SwitchCouldNotStart s => Failure(journal, RestoreSteps.Switch, s.Error),
        ChecklistMissing => Done(journal, RestoreSteps.Validate, NoChecklist(journal)),
        ValidationPassed => Done(journal, RestoreSteps.Validate, "validations passed"),

        // The target is in effect but does not validate: say so; never claim success, and undo nothing.
        ValidationFailed v => NotValidated(journal, $"{string.Join(", ", v.FailedChecks)} did not pass"),
        Undone u => Failed(journal, u.Step, u.Error, u.UndoneTo, u.Unstashed),
        _ => throw new ArgumentOutOfRangeException(nameof(last), last, "Not a result of a restore step."),
    };

    /// <summary>The first step the journal does not have, or the end.</summary>
    private static RestoreAction NextStep(RestoreJournal journal)
    {
        if (!journal.Done(RestoreSteps.Lock))
        {
            return new RestoreAction.Lock();
        }

        if (!journal.Done(RestoreSteps.Stash))
        {
            return new RestoreAction.Stash($"ledger restore {journal.RestoreId}: local changes set aside");
        }

        if (!journal.Done(RestoreSteps.Commit))
        {
            return new RestoreAction.Commit(RestorePlan.CommitMessage(journal.TargetSeq, journal.Reason));
        }

        if (!journal.Done(RestoreSteps.Checkout))
        {
            return new RestoreAction.Checkout();
        }

        if (!journal.Done(RestoreSteps.Switch))
        {
            var generation = journal.Via == RestoreVia.Generation ? journal.TargetGeneration : null;
            return new RestoreAction.Switch(generation, journal.Flake);
        }

        if (!journal.Done(RestoreSteps.Validate))
        {
            return !journal.Validate ? Done(journal, RestoreSteps.Validate, "validations skipped (--no-validate)")
                : journal.ChecksPath is null ? Done(journal, RestoreSteps.Validate, NoChecklist(journal))
                : new RestoreAction.Validate(journal.ChecksPath);
        }

        return new RestoreAction.Complete($"Restored {journal.Repo} to event #{journal.TargetSeq} as commit {EventCatalogue.ShortSha(journal.NewCommit!)}.");
    }

    private static RestoreAction.Record Done(RestoreJournal journal, string step, string detail) => new(step, detail, journal.With(step));

    /// <summary>A step failed: a restore that has made its commit takes it back first.</summary>
    private static RestoreAction Failure(RestoreJournal journal, string step, string error) =>
        journal.NewCommit is null
            ? Failed(journal, step, error, null, null)
            : new RestoreAction.Undo(step, error);

    private static RestoreAction.Fail Failed(RestoreJournal journal, string step, string error, string? undoneTo, bool? unstashed) => new(
        step,
        error,
        undoneTo,
        $"Restore {journal.RestoreId} failed at {step}: {error}"
            + (undoneTo is null ? "" : $" Its commit was taken back: the repository is at {EventCatalogue.ShortSha(undoneTo)} again, as before the restore.")
            + (unstashed switch
            {
                true => " Your local changes are back in the working tree.",
                false => $" Your local changes are still in git stash list ({journal.StashCommit}).",
                null => "",
            }));

    private static RestoreAction.Fail NotValidated(RestoreJournal journal, string error) =>
        new(RestoreSteps.Validate, error, null, $"Restore {journal.RestoreId} switched to the target, but validation failed: {error}");

    private static string NoChecklist(RestoreJournal journal) => $"no checklist at {journal.ChecksPath}: not validated";

    private static string LastLine(string text) =>
        text.TrimEnd().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no output)";
}
