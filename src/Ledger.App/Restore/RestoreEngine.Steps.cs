using System.Diagnostics;
using System.Text.Json;
using Ledger.App.Generations;
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

/// <summary>
/// The steps of a restore: <see cref="RestoreDecider"/> decides what comes next, this part only
/// does it (git, nixos-rebuild, the checklist, the journal, the store, progress) and reports back.
/// </summary>
internal sealed partial class RestoreEngine
{
    private async Task<RestoreOutcome> DriveAsync(ConfigRepository repo, RestoreJournal journal, bool tookOverStale, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        int? switchedTo = null;
        RestoreStepResult? last = null;
        while (true)
        {
            switch (RestoreDecider.Next(journal, last))
            {
                case RestoreAction.Record record:
                    journal = await RecordStepAsync(repo, record, ct);
                    last = null;
                    if (record.Step == RestoreSteps.Lock)
                    {
                        // A restore's duration counts the steps after its lock.
                        clock.Restart();
                    }

                    break;
                case RestoreAction.Complete complete:
                    return await CompleteAsync(repo, journal, complete, switchedTo, clock, ct);
                case RestoreAction.Fail fail:
                    return await FailAsync(repo, journal, fail, ct);
                case var action:
                    last = await DoAsync(repo, journal, action, tookOverStale, ct);
                    if (last is RestoreStepResult.Switched switched)
                    {
                        switchedTo = switched.Generation;
                    }

                    break;
            }
        }
    }

    private async Task<RestoreStepResult> DoAsync(ConfigRepository repo, RestoreJournal journal, RestoreAction action, bool tookOverStale, CancellationToken ct)
    {
        switch (action)
        {
            case RestoreAction.Lock:
                return new RestoreStepResult.Locked(tookOverStale);
            case RestoreAction.Stash stash:
                return new RestoreStepResult.Stashed(repo.DirtyPaths().Count > 0 ? repo.Stash(stash.Message) : null);
            case RestoreAction.Commit commit:
                // A crash between moving the branch and writing the journal leaves HEAD already at our commit.
                // It becomes a config edit only once the switch succeeded (below): a failed restore
                // takes it back and leaves no change doc behind.
                var newCommit = repo.Head != journal.FromCommit && repo.TreeEqualsHead(journal.TargetCommit) && repo.IsAncestor(journal.FromCommit, repo.Head)
                    ? repo.Head
                    : repo.CommitTreeOf(journal.TargetCommit, commit.Message);
                return new RestoreStepResult.Committed(newCommit);
            case RestoreAction.Checkout:
                repo.CheckoutHead();
                return new RestoreStepResult.CheckedOut();
            case RestoreAction.Switch to:
                var switched = await SwitchAsync(repo, to, ct);
                if (switched is RestoreStepResult.Switched { ExitCode: 0 } && journal.NewCommit is { } made)
                {
                    await RecordCommitAsync(repo, made, ct);
                }

                return switched;
            case RestoreAction.Validate validate:
                return await ValidateAsync(validate.ChecksPath, journal.NewCommit, ct);
            case RestoreAction.Undo undo:
                return Undo(repo, journal, undo);
            default:
                throw new InvalidOperationException($"A restore cannot do {action}.");
        }
    }

    private async Task<RestoreStepResult> SwitchAsync(ConfigRepository repo, RestoreAction.Switch to, CancellationToken ct)
    {
        var switcher = new NixosSwitcher(_ctx.Programs.NixosRebuild, _ctx.Programs.NixEnv);
        _generationBefore = new GenerationInspector(_ctx.Programs).Current();
        SwitchResult result;
        try
        {
            result = to.ToGeneration is { } g
                ? await switcher.SwitchGenerationAsync(_ctx.Programs.SystemProfile, g, ct)
                : await switcher.RebuildAsync("switch", to.Flake, repo.WorkingDirectory, ct);
        }
        catch (Ledger.Capture.CaptureException e)
        {
            // The program could not even start (not on this machine): undone like any failed switch.
            return new RestoreStepResult.SwitchCouldNotStart(e.Message);
        }

        var generation = result.Succeeded ? SystemReader.Generation(_ctx.Programs.SystemProfile) : null;
        return new RestoreStepResult.Switched(result.Command, result.ExitCode, result.OutputTail, result.Duration, generation);
    }

    private async Task<RestoreStepResult> ValidateAsync(string checksPath, string? commit, CancellationToken ct)
    {
        if (!File.Exists(checksPath))
        {
            return new RestoreStepResult.ChecklistMissing();
        }

        var checks = Validator.Load(checksPath).Checks;
        var result = await Validator.RunAsync(_ctx.Store, checks, _ctx.Host, _ctx.Actor, _ctx.Programs, commit, _ctx.Progress, ct);
        if (result.ExitCode == ExitCodes.Success)
        {
            return new RestoreStepResult.ValidationPassed();
        }

        var bad = result.Recorded.Entries.Select(e => e.Data).OfType<ValidationRun>().Where(v => v.Status != ValidationStatus.Pass).Select(v => v.Check);
        return new RestoreStepResult.ValidationFailed([.. bad]);
    }

    /// <summary>Takes the restore's commit back (branch, index and files to where they were) and the changes it set aside back in place.</summary>
    private static RestoreStepResult.Undone Undo(ConfigRepository repo, RestoreJournal journal, RestoreAction.Undo undo)
    {
        repo.TakeBack(journal.NewCommit!, journal.FromCommit, $"ledger: restore {journal.RestoreId} failed at {undo.Step}; its commit is taken back");
        bool? unstashed = journal.StashCommit is { } stash ? repo.Unstash(stash) : null;
        return new RestoreStepResult.Undone(undo.Step, undo.Error, journal.FromCommit, unstashed);
    }

    private async Task<RestoreJournal> RecordStepAsync(ConfigRepository repo, RestoreAction.Record record, CancellationToken ct)
    {
        var journal = record.Journal;
        await WriteJournalAsync(repo.GitDirectory, journal, ct);
        await AppendAsync(journal.RestoreId, new RestoreStepCompleted(_ctx.Host, _ctx.Actor, journal.RestoreId, record.Step, record.Detail, 0), ct);
        await _ctx.Progress.WriteLineAsync($"  {record.Step,-9} {record.Detail}");
        TestSwitch.ExitAfter(record.Step, _ctx.Env);
        return journal;
    }

    private async Task<RestoreOutcome> CompleteAsync(ConfigRepository repo, RestoreJournal journal, RestoreAction.Complete complete, int? switchedTo, Stopwatch clock, CancellationToken ct)
    {
        var generation = switchedTo ?? SystemReader.Generation(_ctx.Programs.SystemProfile);
        var system = await SwitchInspection.InspectAsync(_ctx, _generationBefore, generation, active: true, ct);
        var id = journal.RestoreId;
        var completed = new RestoreCompleted(
            _ctx.Host, _ctx.Actor, id, journal.Repo, journal.TargetSeq, journal.NewCommit!, generation, (long)clock.Elapsed.TotalMilliseconds,
            FromGeneration: system.FromGeneration,
            PackageChanges: system.PackageChanges,
            NixosVersion: system.Version?.NixosVersion,
            NixpkgsRevision: system.Version?.NixpkgsRevision,
            ConfigurationRevision: system.Version?.ConfigurationRevision,
            SystemProblem: system.Problem);
        await AppendAsync(id, completed, ct);
        await FinishAsync(repo, ct);
        return new RestoreOutcome(true, id, journal.NewCommit, complete.Message);
    }

    private async Task<RestoreOutcome> FailAsync(ConfigRepository repo, RestoreJournal journal, RestoreAction.Fail fail, CancellationToken ct)
    {
        await AppendAsync(journal.RestoreId, new RestoreFailed(_ctx.Host, _ctx.Actor, journal.RestoreId, fail.Step, fail.Error, fail.UndoneTo), ct);
        await FinishAsync(repo, ct);
        return new RestoreOutcome(false, journal.RestoreId, journal.NewCommit, fail.Message);
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
}
