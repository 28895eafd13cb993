using System.Diagnostics;
using Ledger.App.Generations;
using Ledger.App.Recording;
using Ledger.App.Restore;
using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Capture.Nixos;
using Ledger.Core.Deploy;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Deploy;

/// <summary>
/// The runbook's <c>grebuild</c> done safely: commit the working tree, <c>nixos-rebuild ACTION</c>,
/// validate, and with --auto-rollback go back to the last deploy that validated. Every outcome is
/// an explicit event; a rolled-back deploy never exits 0. What happens after the switch is decided
/// by <see cref="DeployDecider"/>; this engine only does it.
/// </summary>
internal sealed class DeployEngine
{
    public static readonly string[] Actions = ["switch", "boot", "test"];

    private readonly OperationContext _ctx;

    public DeployEngine(OperationContext ctx)
    {
        _ctx = ctx;
    }

    public async Task<DeployResult> RunAsync(string repoPath, DeployRequest request, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var repo = ConfigRepository.Open(repoPath);
        using var repoLock = RepositoryLock.Acquire(repo.GitDirectory, "deploy");
        var o = _ctx.Progress;

        // 1. Commit what the admin edited (nothing to commit: deploy HEAD as it is).
        var committed = repo.CommitAll(request.Message);
        var commit = committed ?? repo.Head;
        await RecordCommitAsync(repo, commit, ct);
        await o.WriteLineAsync(committed is null
            ? $"Nothing to commit; deploying HEAD {EventCatalogue.ShortSha(commit)}."
            : $"Committed {EventCatalogue.ShortSha(commit)} {request.Message}");

        // 2. Put it in effect.
        var id = $"d{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var stream = StreamKeys.Deploy(_ctx.Host, id);
        await _ctx.Store.AppendAsync(new NewEvent(stream, new DeployStarted(_ctx.Host, _ctx.Actor, id, repo.RepoKey, commit, request.Action, request.Flake, request.Message)), ct);
        var inspector = new GenerationInspector(_ctx.Programs);
        var before = inspector.Current();
        SwitchResult switched;
        try
        {
            switched = await new NixosSwitcher(_ctx.Programs.NixosRebuild, _ctx.Programs.NixEnv).RebuildAsync(request.Action, request.Flake, repo.WorkingDirectory, ct);
        }
        catch (Ledger.Capture.CaptureException e)
        {
            // nixos-rebuild could not start: the deploy failed, and its record must say so.
            switched = new SwitchResult(127, e.Message, TimeSpan.Zero, $"nixos-rebuild {request.Action}");
        }

        var generation = inspector.Current();
        await o.WriteLineAsync($"{switched.Command}: exit {switched.ExitCode} in {switched.Duration.TotalSeconds:0.0} s" + (generation is { } g ? $", generation {g}" : ""));
        var system = request.Action == "test"
            ? await SwitchInspection.UntrackedAsync(_ctx, generation, request.Action)
            : await SwitchInspection.InspectAsync(_ctx, before, generation, active: request.Action != "boot", ct);

        // 3. Validate, roll back, finish: as decided.
        var state = new DeployState(id, commit, request.Action, request.Validate, request.AutoRollback, switched.Command, switched.ExitCode);
        while (true)
        {
            switch (DeployDecider.Next(state))
            {
                case DeployAction.Validate:
                    state = DeployDecider.Evolve(state, await ValidateAsync(commit, ct));
                    break;
                case DeployAction.FindRollbackTarget:
                    var good = await _ctx.Store.LastValidatedDeployAsync(_ctx.Host, repo.RepoKey, ct);
                    state = DeployDecider.Evolve(state, good is null ? new DeployStepResult.NoValidatedDeploy() : new DeployStepResult.RollbackTargetFound(good.Seq, good.Title));
                    break;
                case DeployAction.RollBack rollBack:
                    await o.WriteLineAsync(rollBack.Announcement);
                    // The restore opens the repository itself; the lock stays held.
                    repo.Dispose();
                    state = DeployDecider.Evolve(state, await RollBackAsync(repoPath, rollBack, request.Flake, repoLock, ct));
                    break;
                case DeployAction.Finish finish:
                    if (finish.Notice is not null)
                    {
                        await o.WriteLineAsync(finish.Notice);
                    }

                    await _ctx.Store.AppendAsync(
                        new NewEvent(stream, new DeployFinished(
                            _ctx.Host, _ctx.Actor, id, repo.RepoKey, commit, request.Action, finish.Validated, finish.Outcome, generation, (long)clock.Elapsed.TotalMilliseconds, switched.ExitCode, switched.OutputTail, finish.Detail,
                            FromGeneration: system.FromGeneration,
                            PackageChanges: system.PackageChanges,
                            NixosVersion: system.Version?.NixosVersion,
                            NixpkgsRevision: system.Version?.NixpkgsRevision,
                            ConfigurationRevision: system.Version?.ConfigurationRevision,
                            SystemProblem: system.Problem)),
                        ct);
                    // Deploys are what an audit asks about first: chain them (and all before) right away.
                    await _ctx.Store.Chain.SealAsync(ct: ct);
                    return new DeployResult(finish.Outcome, commit, finish.ExitCode, finish.Message);
                case var action:
                    throw new InvalidOperationException($"A deploy cannot do {action}.");
            }
        }
    }

    private async Task<DeployStepResult> ValidateAsync(string commit, CancellationToken ct)
    {
        if (_ctx.ChecklistPath is null || !File.Exists(_ctx.ChecklistPath))
        {
            return new DeployStepResult.ChecklistMissing(_ctx.ChecklistPath);
        }

        var checks = Validator.Load(_ctx.ChecklistPath).Checks;
        var result = await Validator.RunAsync(_ctx.Store, checks, _ctx.Host, _ctx.Actor, _ctx.Programs, commit, _ctx.Progress, ct);
        return new DeployStepResult.Validated(result.ExitCode == ExitCodes.Success);
    }

    private async Task<DeployStepResult> RollBackAsync(string repoPath, DeployAction.RollBack rollBack, string? flake, RepositoryLock repoLock, CancellationToken ct)
    {
        var engine = new RestoreEngine(_ctx);
        var plan = await engine.PlanAsync(repoPath, rollBack.Seq, ct);
        var restored = await engine.ExecuteAsync(
            repoPath,
            plan,
            new RestoreRequest(RestoreEngine.Git, rollBack.Reason, Stash: false, Automatic: true, Validate: true, Flake: flake),
            repoLock,
            ct);
        return new DeployStepResult.RolledBack(restored.Succeeded, restored.Message);
    }

    private Task<long?> RecordCommitAsync(ConfigRepository repo, string sha, CancellationToken ct) =>
        CommitRecorder.RecordAsync(_ctx.Store, repo.WorkingDirectory, sha, _ctx.Host, _ctx.Actor, ct);
}
