using System.Diagnostics;
using Ledger.App.Recording;
using Ledger.App.Restore;
using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Capture.Host;
using Ledger.Capture.Nixos;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Deploy;

/// <summary>The choices of one deploy.</summary>
internal sealed record DeployRequest(string Message, string Action, string? Flake, bool AutoRollback, bool Validate);

/// <summary>How a deploy ended; <see cref="ExitCode"/> is non-zero whenever the end state is not what was asked for.</summary>
internal sealed record DeployResult(DeployOutcome Outcome, string Commit, int ExitCode, string Message);

/// <summary>
/// The runbook's <c>grebuild</c> done safely: commit the working tree, <c>nixos-rebuild ACTION</c>,
/// validate, and with --auto-rollback go back to the last deploy that validated. Every outcome is
/// an explicit event; a rolled-back deploy never exits 0.
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

        var generation = SystemReader.Generation(_ctx.Programs.SystemProfile);
        await o.WriteLineAsync($"{switched.Command}: exit {switched.ExitCode} in {switched.Duration.TotalSeconds:0.0} s" + (generation is { } g ? $", generation {g}" : ""));

        // 3. Validate what is now running.
        DeployOutcome outcome;
        bool validated = false;
        string? problem = null;
        if (!switched.Succeeded)
        {
            outcome = DeployOutcome.Failed;
            problem = $"{switched.Command} exited {switched.ExitCode}";
        }
        else if (!request.Validate)
        {
            outcome = DeployOutcome.Succeeded;
            await o.WriteLineAsync("Validations skipped (--no-validate): this deploy is not a known-good point for rollbacks.");
        }
        else if (_ctx.ChecklistPath is null || !File.Exists(_ctx.ChecklistPath))
        {
            outcome = DeployOutcome.Succeeded;
            await o.WriteLineAsync($"No checklist at {_ctx.ChecklistPath}: not validated (ledger validate --example-config shows one).");
        }
        else
        {
            var checks = Validator.Load(_ctx.ChecklistPath).Checks;
            var result = await Validator.RunAsync(_ctx.Store, checks, _ctx.Host, _ctx.Actor, _ctx.Programs, commit, o, ct);
            validated = result.ExitCode == ExitCodes.Success;
            outcome = validated ? DeployOutcome.Succeeded : DeployOutcome.ValidationFailed;
            problem = validated ? null : "post-deploy validation did not pass";
        }

        // 4. Roll back to the last deploy that validated.
        string? rollbackNote = null;
        if (outcome != DeployOutcome.Succeeded && request.AutoRollback)
        {
            var good = await _ctx.Store.LastValidatedDeployAsync(_ctx.Host, repo.RepoKey, ct);
            if (good is null)
            {
                rollbackNote = "no earlier deploy validated, so there is nothing known-good to roll back to";
            }
            else
            {
                await o.WriteLineAsync($"Rolling back automatically to deploy #{good.Seq} ({good.Title}):");
                var engine = new RestoreEngine(_ctx);
                repo.Dispose();
                var plan = await engine.PlanAsync(repoPath, good.Seq, ct);
                var restored = await engine.ExecuteAsync(
                    repoPath,
                    plan,
                    new RestoreRequest(RestoreEngine.Git, $"automatic rollback of deploy {id}: {problem}", Stash: false, Automatic: true, Validate: true, Flake: request.Flake),
                    repoLock,
                    ct);
                rollbackNote = restored.Message;
                if (restored.Succeeded)
                {
                    outcome = DeployOutcome.RolledBack;
                }
            }
        }

        await _ctx.Store.AppendAsync(
            new NewEvent(stream, new DeployFinished(_ctx.Host, _ctx.Actor, id, repo.RepoKey, commit, request.Action, validated, outcome, generation, (long)clock.Elapsed.TotalMilliseconds, switched.ExitCode, switched.OutputTail, problem is null ? rollbackNote : $"{problem}{(rollbackNote is null ? "" : "; " + rollbackNote)}")),
            ct);
        // Deploys are what an audit asks about first: chain them (and all before) right away.
        await _ctx.Store.Chain.SealAsync(ct: ct);
        var message = outcome switch
        {
            DeployOutcome.Succeeded => $"Deployed {EventCatalogue.ShortSha(commit)} ({request.Action})" + (validated ? ", validated." : ", not validated."),
            DeployOutcome.RolledBack => $"Deploy of {EventCatalogue.ShortSha(commit)} was ROLLED BACK: {problem}. {rollbackNote}",
            _ => $"Deploy of {EventCatalogue.ShortSha(commit)} FAILED: {problem}." + (rollbackNote is null ? (request.AutoRollback ? "" : " Add --auto-rollback to go back to the last validated deploy automatically.") : $" {rollbackNote}"),
        };
        return new DeployResult(outcome, commit, outcome == DeployOutcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure, message);
    }

    private Task<long?> RecordCommitAsync(ConfigRepository repo, string sha, CancellationToken ct) =>
        CommitRecorder.RecordAsync(_ctx.Store, repo.WorkingDirectory, sha, _ctx.Host, _ctx.Actor, ct);
}
