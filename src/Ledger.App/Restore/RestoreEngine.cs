using Ledger.Capture.Git;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Restore;
using Ledger.Core.Text;

namespace Ledger.App.Restore;

/// <summary>
/// Restore-to-event: the one engine behind <c>ledger restore</c>, the automatic rollback of
/// <c>ledger deploy</c> and (later) the TUI. Every step is journaled next to the repository's .git
/// before the next begins and recorded as an event, so <see cref="ResumeAsync"/> can finish a
/// restore that was killed at any point.
/// </summary>
internal sealed partial class RestoreEngine
{
    public const string Git = RestoreVia.Git;
    public const string Generation = RestoreVia.Generation;

    private readonly OperationContext _ctx;

    /// <summary>The system generation just before this restore's switch, to say what the switch changed.</summary>
    private int? _generationBefore;

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

        await o.WriteLineAsync($"  files:      {Plural.Of(plan.Files.Count, "file")} changed (+{plan.LinesAdded}/-{plan.LinesRemoved})");
        foreach (var f in plan.Files)
        {
            var name = f.OldPath is null ? f.Path : $"{f.OldPath} -> {f.Path}";
            await o.WriteLineAsync($"    {f.Change,-9} {name} ({(f.Binary ? "binary" : $"+{f.LinesAdded}/-{f.LinesRemoved}")})");
        }
    }

    /// <summary>The readiness under the plan: each problem ("stop") and notice ("note"), or that nothing stops it.</summary>
    public static async Task WriteReadinessAsync(TextWriter o, RestoreReadiness readiness)
    {
        await o.WriteLineAsync("Before it runs:");
        if (readiness.Ready)
        {
            await o.WriteLineAsync("  ok:   nothing stops this restore");
        }

        foreach (var p in readiness.Problems)
        {
            await o.WriteLineAsync($"  stop: {p}");
        }

        foreach (var n in readiness.Notices)
        {
            await o.WriteLineAsync($"  note: {n}");
        }
    }

    /// <summary>
    /// What would stop <paramref name="plan"/> before it changes anything: write access, local
    /// changes without <c>--stash</c>, another restore or deploy holding the repository, the
    /// switching program, a generation to switch to; and whether it would be validated. The same
    /// checks <c>--dry-run</c> prints and <see cref="ExecuteAsync"/> refuses on.
    /// </summary>
    public RestoreReadiness CheckReadiness(string repoPath, RestorePlan plan, RestoreRequest request, bool lockHeldByCaller = false)
    {
        var problems = new List<string>();
        var notices = new List<string>();
        try
        {
            using var repo = ConfigRepository.Open(repoPath);
            var dirty = repo.DirtyPaths();
            if (dirty.Count > 0)
            {
                var named = $"{string.Join(", ", dirty.Take(5))}{(dirty.Count > 5 ? ", ..." : "")}";
                if (request.Stash)
                {
                    notices.Add($"Local changes ({named}) will be set aside with git stash, and put back if the restore fails.");
                }
                else
                {
                    problems.Add($"{repo.RepoKey} has uncommitted changes ({named}). Commit them, or pass --stash to set them aside (recorded).");
                }
            }

            if (!lockHeldByCaller && RepositoryLock.HeldBy(repo.GitDirectory) is { } holder)
            {
                problems.Add(holder);
            }
        }
        catch (LedgerException e)
        {
            problems.Add(e.Message);
        }

        if (request.Via == Generation)
        {
            if (plan.TargetGeneration is null)
            {
                problems.Add($"No generation is recorded for commit {EventCatalogue.ShortSha(plan.TargetCommit)}; restore --via git instead.");
            }

            RequireProgram(_ctx.Programs.NixEnv, "nix-env", "LEDGER_NIX_ENV", problems);
        }
        else
        {
            RequireProgram(_ctx.Programs.NixosRebuild, "nixos-rebuild", "LEDGER_NIXOS_REBUILD", problems);
        }

        if (!request.Validate)
        {
            notices.Add("Validations are skipped (--no-validate).");
        }
        else if (_ctx.ChecklistPath is not { } checks || !File.Exists(checks))
        {
            notices.Add($"No checklist at {_ctx.ChecklistPath}: the restore would not be validated (ledger init writes one; --config names another).");
        }

        return new RestoreReadiness(problems, notices);
    }

    private void RequireProgram(string program, string name, string variable, List<string> problems)
    {
        if (ProgramLocator.Find(program, _ctx.Env("PATH")) is null)
        {
            problems.Add(program.Contains('/', StringComparison.Ordinal)
                ? $"{name} is not an executable file at {program} ({variable}); the switch could not run."
                : $"{name} is not on this machine's PATH; the switch could not run. Restore on the NixOS host itself, or set {variable}.");
        }
    }

    /// <summary>
    /// Runs the plan. <paramref name="heldLock"/> is the repository lock when the caller (a deploy
    /// rolling back) already holds it.
    /// </summary>
    public async Task<RestoreOutcome> ExecuteAsync(string repoPath, RestorePlan plan, RestoreRequest request, RepositoryLock? heldLock, CancellationToken ct)
    {
        if (CheckReadiness(repoPath, plan, request, lockHeldByCaller: heldLock is not null) is { Ready: false } readiness)
        {
            throw new LedgerException(readiness.Refusal());
        }

        using var repo = ConfigRepository.Open(repoPath);

        var ownLock = heldLock is null ? RepositoryLock.Acquire(repo.GitDirectory, "restore") : null;
        try
        {
            var id = $"r{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            var started = new RestoreStarted(_ctx.Host, _ctx.Actor, id, repo.RepoKey, plan.TargetSeq, plan.TargetCommit, plan.FromCommit, request.Via, request.Reason, request.Automatic, plan.TargetGeneration);
            var journal = new RestoreJournal(started, [], Validate: request.Validate, ChecksPath: _ctx.ChecklistPath, Flake: request.Flake);
            await AppendAsync(id, started, ct);
            return await DriveAsync(repo, journal, ownLock?.TookOverStale == true, ct);
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

        var journal = RestoreJournal.FromJson(await File.ReadAllTextAsync(path, ct))
            ?? throw new LedgerException($"{path} is unreadable; look at it, then delete it if the repository is as you want it.");
        using var repoLock = RepositoryLock.Acquire(repo.GitDirectory, "restore");
        await _ctx.Progress.WriteLineAsync($"Resuming restore {journal.RestoreId} to event #{journal.TargetSeq} (done: {string.Join(", ", journal.DoneSteps)}).");
        await AppendAsync(journal.RestoreId, new RestoreStepCompleted(_ctx.Host, _ctx.Actor, journal.RestoreId, "resume", $"resumed after: {string.Join(", ", journal.DoneSteps)}", 0), ct);
        return await DriveAsync(repo, journal, repoLock.TookOverStale, ct);
    }

    private static string CommitOf(object data) => data switch
    {
        ConfigEdited c => c.Sha,
        DeployFinished d => d.Commit,
        RestoreCompleted r => r.NewCommit,
        _ => throw new InvalidOperationException($"{data.GetType().Name} carries no commit."),
    };
}
