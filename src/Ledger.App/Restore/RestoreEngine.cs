using System.Diagnostics;
using System.Text.Json;
using Ledger.App.Recording;
using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Capture.Host;
using Ledger.Capture.Nixos;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Restore;
using Ledger.Store;

namespace Ledger.App.Restore;

/// <summary>How a restore ended.</summary>
internal sealed record RestoreOutcome(bool Succeeded, string RestoreId, string? NewCommit, string Message);

/// <summary>
/// Restore-to-event: the one engine behind <c>ledger restore</c>, the automatic rollback of
/// <c>ledger deploy</c> and (later) the TUI. Every step is journaled next to the repository's .git
/// before the next begins and recorded as an event, so <see cref="ResumeAsync"/> can finish a
/// restore that was killed at any point.
/// </summary>
internal sealed class RestoreEngine
{
    public const string Git = "git";
    public const string Generation = "generation";

    private readonly OperationContext _ctx;

    public RestoreEngine(OperationContext ctx)
    {
        _ctx = ctx;
    }

    public static string JournalPath(string gitDirectory) => Path.Combine(gitDirectory, "ledger-restore.json");

    /// <summary>Works out the target of a restore to event <paramref name="targetSeq"/> and what would change. Changes nothing.</summary>
    public async Task<RestorePlan> PlanAsync(string repoPath, long targetSeq, CancellationToken ct)
    {
        var entry = await _ctx.Store.GetAsync(targetSeq, ct)
            ?? throw new LedgerException($"There is no event #{targetSeq}. Find the event to restore to with 'ledger timeline --host {_ctx.Host}'.");
        if (!string.Equals(entry.Host, _ctx.Host, StringComparison.Ordinal))
        {
            throw new LedgerException(
                $"Event #{targetSeq} is about host '{entry.Host}', not '{_ctx.Host}'. Restore a host's configuration on that host (or pass --host {entry.Host} if this repository is its configuration).");
        }

        using var repo = ConfigRepository.Open(repoPath, write: false);
        var inEffect = await _ctx.Store.ConfigInEffectAsync(_ctx.Host, repo.RepoKey, targetSeq, ct)
            ?? throw new LedgerException(
                $"No recorded configuration of {repo.RepoKey} on host '{_ctx.Host}' is at or before #{targetSeq}. Record the history first: ledger import-git --repo {repo.RepoKey}");
        var commit = CommitOf(inEffect.Data);
        if (!repo.CommitExists(commit))
        {
            throw new LedgerException(
                $"The target commit {commit} (from event #{inEffect.Seq}) is not in {repo.RepoKey}: the history was rewritten or the repository replaced. Nothing was changed.");
        }

        var generation = inEffect.Data switch
        {
            DeployFinished d => d.Generation,
            RestoreCompleted r => r.Generation,
            _ => await _ctx.Store.GenerationOfAsync(_ctx.Host, commit, ct),
        };
        return new RestorePlan(_ctx.Host, repo.RepoKey, targetSeq, inEffect.Seq, inEffect.Title, commit, repo.Head, repo.DiffFromHead(commit), generation);
    }

    public static async Task WritePlanAsync(TextWriter o, RestorePlan plan, string via)
    {
        await o.WriteLineAsync($"Restore plan for host {plan.Host}, repository {plan.Repo}");
        await o.WriteLineAsync($"  target:     event #{plan.TargetSeq}; configuration from #{plan.TargetEventSeq} ({plan.TargetEventTitle})");
        await o.WriteLineAsync($"  commit:     {plan.TargetCommit} (now at {plan.FromCommit})");
        await o.WriteLineAsync($"  generation: {(plan.TargetGeneration is { } g ? g.ToString(System.Globalization.CultureInfo.InvariantCulture) : "not recorded")}");
        await o.WriteLineAsync($"  via:        {(via == Generation ? "switch to the recorded generation" : "a new commit with the target tree, then nixos-rebuild switch")}");
        if (plan.AlreadyInEffect)
        {
            await o.WriteLineAsync("  files:      none: this configuration is already in effect.");
            return;
        }

        await o.WriteLineAsync($"  files:      {plan.Files.Count} change (+{plan.LinesAdded}/-{plan.LinesRemoved})");
        foreach (var f in plan.Files)
        {
            var name = f.OldPath is null ? f.Path : $"{f.OldPath} -> {f.Path}";
            await o.WriteLineAsync($"    {f.Change,-9} {name} ({(f.Binary ? "binary" : $"+{f.LinesAdded}/-{f.LinesRemoved}")})");
        }
    }

    /// <summary>
    /// Runs the plan. <paramref name="heldLock"/> is the repository lock when the caller (a deploy
    /// rolling back) already holds it.
    /// </summary>
    public async Task<RestoreOutcome> ExecuteAsync(string repoPath, RestorePlan plan, RestoreRequest request, RepositoryLock? heldLock, CancellationToken ct)
    {
        using var repo = ConfigRepository.Open(repoPath);
        if (request.Via == Generation && plan.TargetGeneration is null)
        {
            throw new LedgerException($"No generation is recorded for commit {EventCatalogue.ShortSha(plan.TargetCommit)}; restore --via git instead.");
        }

        var dirty = repo.DirtyPaths();
        if (dirty.Count > 0 && !request.Stash)
        {
            throw new LedgerException(
                $"{repo.RepoKey} has uncommitted changes ({string.Join(", ", dirty.Take(5))}{(dirty.Count > 5 ? ", ..." : "")}). Commit them, or pass --stash to set them aside (recorded).");
        }

        var ownLock = heldLock is null ? RepositoryLock.Acquire(repo.GitDirectory, "restore") : null;
        try
        {
            var id = $"r{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            var journal = new RestoreJournal(id, _ctx.Host, repo.RepoKey, plan.TargetSeq, plan.TargetCommit, plan.FromCommit, request.Via, request.Reason, request.Automatic, plan.TargetGeneration, [], Validate: request.Validate, ChecksPath: _ctx.ChecklistPath, Flake: request.Flake);
            await AppendAsync(id, new RestoreStarted(_ctx.Host, _ctx.Actor, id, repo.RepoKey, plan.TargetSeq, plan.TargetCommit, plan.FromCommit, request.Via, request.Reason, request.Automatic, plan.TargetGeneration), ct);
            journal = await StepAsync(repo, journal, RestoreSteps.Lock, ownLock?.TookOverStale == true ? "took over a stale lock" : "repository locked", ct);
            return await ContinueAsync(repo, journal, Stopwatch.StartNew(), ct);
        }
        finally
        {
            ownLock?.Dispose();
        }
    }

    /// <summary>Finishes an interrupted restore of <paramref name="repoPath"/>; null when there is none.</summary>
    public async Task<RestoreOutcome?> ResumeAsync(string repoPath, CancellationToken ct)
    {
        using var repo = ConfigRepository.Open(repoPath);
        var path = JournalPath(repo.GitDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        var journal = JsonSerializer.Deserialize<RestoreJournal>(await File.ReadAllTextAsync(path, ct), EventJson.Options)
            ?? throw new LedgerException($"{path} is unreadable; look at it, then delete it if the repository is as you want it.");
        using var repoLock = RepositoryLock.Acquire(repo.GitDirectory, "restore");
        await _ctx.Progress.WriteLineAsync($"Resuming restore {journal.RestoreId} to event #{journal.TargetSeq} (done: {string.Join(", ", journal.DoneSteps)}).");
        await AppendAsync(journal.RestoreId, new RestoreStepCompleted(_ctx.Host, _ctx.Actor, journal.RestoreId, "resume", $"resumed after: {string.Join(", ", journal.DoneSteps)}", 0), ct);
        return await ContinueAsync(repo, journal, Stopwatch.StartNew(), ct);
    }

    private async Task<RestoreOutcome> ContinueAsync(ConfigRepository repo, RestoreJournal journal, Stopwatch clock, CancellationToken ct)
    {
        var id = journal.RestoreId;
        if (!journal.Done(RestoreSteps.Stash))
        {
            string detail = "nothing to set aside";
            if (repo.DirtyPaths().Count > 0)
            {
                var stash = repo.Stash($"ledger restore {id}: local changes set aside");
                journal = journal with { StashCommit = stash };
                detail = $"local changes stashed as {stash} (git stash list)";
            }

            journal = await StepAsync(repo, journal, RestoreSteps.Stash, detail, ct);
        }

        if (!journal.Done(RestoreSteps.Commit))
        {
            // A crash between moving the branch and writing the journal leaves HEAD already at our commit.
            string newCommit;
            if (repo.Head != journal.FromCommit && repo.TreeEqualsHead(journal.TargetCommit) && repo.IsAncestor(journal.FromCommit, repo.Head))
            {
                newCommit = repo.Head;
            }
            else
            {
                newCommit = repo.CommitTreeOf(journal.TargetCommit, RestorePlan.CommitMessage(journal.TargetSeq, journal.Reason));
            }

            journal = journal with { NewCommit = newCommit };
            await RecordCommitAsync(repo, newCommit, ct);
            journal = await StepAsync(repo, journal, RestoreSteps.Commit, $"new commit {EventCatalogue.ShortSha(newCommit)} with the tree of {EventCatalogue.ShortSha(journal.TargetCommit)}", ct);
        }

        if (!journal.Done(RestoreSteps.Checkout))
        {
            repo.CheckoutHead();
            journal = await StepAsync(repo, journal, RestoreSteps.Checkout, "working tree now equals the target tree", ct);
        }

        int? generation = null;
        if (!journal.Done(RestoreSteps.Switch))
        {
            var switcher = new NixosSwitcher(_ctx.Programs.NixosRebuild, _ctx.Programs.NixEnv);
            SwitchResult result;
            try
            {
                result = journal.Via == Generation && journal.TargetGeneration is { } g
                    ? await switcher.SwitchGenerationAsync(_ctx.Programs.SystemProfile, g, ct)
                    : await switcher.RebuildAsync("switch", journal.Flake, repo.WorkingDirectory, ct);
            }
            catch (Ledger.Capture.CaptureException e)
            {
                // The program could not even start (not on this machine): undo like any failed switch.
                return await UndoAsync(repo, journal, RestoreSteps.Switch, e.Message, ct);
            }

            if (!result.Succeeded)
            {
                return await UndoAsync(repo, journal, RestoreSteps.Switch, $"{result.Command} exited {result.ExitCode}: {LastLine(result.OutputTail)}", ct);
            }

            generation = SystemReader.Generation(_ctx.Programs.SystemProfile);
            journal = await StepAsync(repo, journal, RestoreSteps.Switch, $"{result.Command} succeeded in {result.Duration.TotalSeconds:0.0} s" + (generation is { } gen ? $", generation {gen}" : ""), ct);
        }

        if (!journal.Done(RestoreSteps.Validate))
        {
            var failed = await ValidateAsync(journal, ct);
            if (failed is not null)
            {
                // The target is in effect but does not validate: say so; never claim success.
                await AppendAsync(id, new RestoreFailed(_ctx.Host, _ctx.Actor, id, RestoreSteps.Validate, failed, null), ct);
                await FinishAsync(repo, ct);
                return new RestoreOutcome(false, id, journal.NewCommit, $"Restore {id} switched to the target, but validation failed: {failed}");
            }

            var detail = !journal.Validate ? "validations skipped (--no-validate)"
                : journal.ChecksPath is null || !File.Exists(journal.ChecksPath) ? $"no checklist at {journal.ChecksPath}: not validated"
                : "validations passed";
            journal = await StepAsync(repo, journal, RestoreSteps.Validate, detail, ct);
        }

        generation ??= SystemReader.Generation(_ctx.Programs.SystemProfile);
        await AppendAsync(id, new RestoreCompleted(_ctx.Host, _ctx.Actor, id, journal.Repo, journal.TargetSeq, journal.NewCommit!, generation, (long)clock.Elapsed.TotalMilliseconds), ct);
        await FinishAsync(repo, ct);
        return new RestoreOutcome(true, id, journal.NewCommit, $"Restored {journal.Repo} to event #{journal.TargetSeq} as commit {EventCatalogue.ShortSha(journal.NewCommit!)}.");
    }

    /// <summary>Returns null when every check passed (or none ran), else a summary of what failed.</summary>
    private async Task<string?> ValidateAsync(RestoreJournal journal, CancellationToken ct)
    {
        if (!journal.Validate || journal.ChecksPath is null || !File.Exists(journal.ChecksPath))
        {
            return null;
        }

        var checks = Validator.Load(journal.ChecksPath).Checks;
        var result = await Validator.RunAsync(_ctx.Store, checks, _ctx.Host, _ctx.Actor, _ctx.Programs, journal.NewCommit, _ctx.Progress, ct);
        if (result.ExitCode == ExitCodes.Success)
        {
            return null;
        }

        var bad = result.Recorded.Entries.Select(e => e.Data).OfType<ValidationRun>().Where(v => v.Status != ValidationStatus.Pass).Select(v => v.Check);
        return $"{string.Join(", ", bad)} did not pass";
    }

    /// <summary>
    /// Puts the repository back to the tree it had before (a new commit again: history is only
    /// added to), records the failure, and ends the restore.
    /// </summary>
    private async Task<RestoreOutcome> UndoAsync(ConfigRepository repo, RestoreJournal journal, string step, string error, CancellationToken ct)
    {
        string? undoneTo = null;
        if (journal.NewCommit is not null && !repo.TreeEqualsHead(journal.FromCommit))
        {
            var undo = repo.CommitTreeOf(journal.FromCommit, $"Undo restore {journal.RestoreId}: {step} failed");
            repo.CheckoutHead();
            await RecordCommitAsync(repo, undo, ct);
            undoneTo = journal.FromCommit;
        }

        await AppendAsync(journal.RestoreId, new RestoreFailed(_ctx.Host, _ctx.Actor, journal.RestoreId, step, error, undoneTo), ct);
        await FinishAsync(repo, ct);
        return new RestoreOutcome(false, journal.RestoreId, journal.NewCommit, $"Restore {journal.RestoreId} failed at {step}: {error}" + (undoneTo is null ? "" : $" The repository is back at the tree of {EventCatalogue.ShortSha(undoneTo)}."));
    }

    private async Task<RestoreJournal> StepAsync(ConfigRepository repo, RestoreJournal journal, string step, string detail, CancellationToken ct)
    {
        var next = journal.With(step);
        await WriteJournalAsync(repo.GitDirectory, next, ct);
        await AppendAsync(journal.RestoreId, new RestoreStepCompleted(_ctx.Host, _ctx.Actor, journal.RestoreId, step, detail, 0), ct);
        await _ctx.Progress.WriteLineAsync($"  {step,-9} {detail}");
        TestSwitch.ExitAfter(step, _ctx.Env);
        return next;
    }

    private Task<long?> RecordCommitAsync(ConfigRepository repo, string sha, CancellationToken ct) =>
        CommitRecorder.RecordAsync(_ctx.Store, repo.WorkingDirectory, sha, _ctx.Host, _ctx.Actor, ct);

    private Task<long> AppendAsync(string restoreId, ILedgerEvent e, CancellationToken ct) =>
        _ctx.Store.AppendAsync(new NewEvent(StreamKeys.Restore(_ctx.Host, restoreId), e), ct);

    private static async Task WriteJournalAsync(string gitDirectory, RestoreJournal journal, CancellationToken ct)
    {
        var path = JournalPath(gitDirectory);
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await JsonSerializer.SerializeAsync(stream, journal, EventJson.Indented, ct);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Ends the restore: the journal goes, and everything recorded so far is sealed into the chain.</summary>
    private async Task FinishAsync(ConfigRepository repo, CancellationToken ct)
    {
        File.Delete(JournalPath(repo.GitDirectory));
        await _ctx.Store.Chain.SealAsync(ct: ct);
    }

    private static string CommitOf(object data) => data switch
    {
        ConfigEdited c => c.Sha,
        DeployFinished d => d.Commit,
        RestoreCompleted r => r.NewCommit,
        _ => throw new InvalidOperationException($"{data.GetType().Name} carries no commit."),
    };

    private static string LastLine(string text) =>
        text.TrimEnd().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no output)";
}

/// <summary>The choices of one restore: how to switch, why, and whether to stash and validate.</summary>
internal sealed record RestoreRequest(string Via, string? Reason, bool Stash, bool Automatic, bool Validate, string? Flake);
