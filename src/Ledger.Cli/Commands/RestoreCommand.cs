using System.CommandLine;
using Ledger.App;
using Ledger.App.Restore;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class RestoreCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var to = new Option<long?>("--to") { Description = "Restore the configuration in effect at this event (its sequence number)" };
        var resume = new Option<bool>("--resume") { Description = "Finish (or undo) a restore that was interrupted" };
        var scope = RepoTarget.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed without a terminal)" };
        var via = new Option<string>("--via") { Description = "git: a new commit with the target tree, then nixos-rebuild switch; generation: switch to the recorded generation", DefaultValueFactory = _ => RestoreEngine.Git };
        via.AcceptOnlyFromAmong(RestoreEngine.Git, RestoreEngine.Generation);
        var reason = new Option<string?>("--reason") { Description = "Why (goes into the commit message and the events)" };
        var stash = new Option<bool>("--stash") { Description = "Set uncommitted changes aside with git stash (recorded) instead of refusing" };
        var flake = new Option<string?>("--flake") { Description = "Flake attribute for nixos-rebuild, e.g. .#mediabox" };
        var noValidate = new Option<bool>("--no-validate") { Description = "Skip the validations after the switch" };
        var config = new Option<string?>("--config") { Description = "The checklist to validate with (default: $LEDGER_HOME/checks.json)" };
        var command = new Command("restore", "Put the configuration back to its state at an event: plan, new commit, switch, validate, each step recorded")
        {
            to, resume, scope.Repo, dryRun, yes, via, reason, stash, flake, noValidate, config, scope.Host,
        };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = scope.HostOf(r, ctx);
            var repoPath = r.GetValue(scope.Repo)!;
            await using var store = await ctx.OpenStoreAsync(ct);
            var op = new OperationContext(store, hostName, ctx.Actor, ctx.Programs, Path.GetFullPath(r.GetValue(config) ?? Path.Combine(ctx.Home, "checks.json")), ctx.StatusOut, ctx.Env);
            var engine = new RestoreEngine(op);
            if (r.GetValue(resume))
            {
                var resumed = await engine.ResumeAsync(repoPath, ct);
                if (resumed is null)
                {
                    await ctx.Out.WriteLineAsync("There is no interrupted restore of this repository; nothing to do.");
                    return ExitCodes.Success;
                }

                await ctx.Out.WriteLineAsync(resumed.Message);
                return resumed.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
            }

            var target = r.GetValue(to) ?? throw new LedgerException("Say which event to restore to: ledger restore --to SEQ (find it with ledger timeline), or --resume.");
            var plan = await engine.PlanAsync(repoPath, target, ct);
            await RestoreEngine.WritePlanAsync(ctx.Out, plan, r.GetValue(via)!);
            if (plan.AlreadyInEffect)
            {
                await ctx.Out.WriteLineAsync("Nothing to do: the configuration of that event is already in effect.");
                return ExitCodes.Success;
            }

            var request = new RestoreRequest(r.GetValue(via)!, r.GetValue(reason), r.GetValue(stash), Automatic: false, Validate: !r.GetValue(noValidate), r.GetValue(flake));
            var readiness = engine.CheckReadiness(repoPath, plan, request);
            await RestoreEngine.WriteReadinessAsync(ctx.Out, readiness);
            if (r.GetValue(dryRun))
            {
                await ctx.Out.WriteLineAsync(readiness.Ready
                    ? "Dry run: nothing was changed; the restore is ready to run."
                    : $"Dry run: nothing was changed; a restore now would be refused ({Ledger.Core.Text.Plural.Of(readiness.Problems.Count, "problem")} above, exit 2).");
                return readiness.Ready ? ExitCodes.Success : ExitCodes.UsageOrEnvironment;
            }

            if (!readiness.Ready)
            {
                throw new LedgerException(readiness.Refusal());
            }

            if (!r.GetValue(yes) && !await ConfirmAsync(ctx, $"Restore {hostName} to event #{target}?"))
            {
                return ExitCodes.Failure;
            }

            var outcome = await engine.ExecuteAsync(repoPath, plan, request, heldLock: null, ct);
            await ctx.Out.WriteLineAsync(outcome.Message);
            return outcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>Asks on the terminal; with no terminal, refuses (exit 2) rather than guess.</summary>
    public static async Task<bool> ConfirmAsync(CliContext ctx, string question)
    {
        if (Console.IsInputRedirected || !ctx.IsTerminal)
        {
            throw new LedgerException("No terminal to confirm on: pass --yes to restore without asking, or --dry-run to only see the plan.");
        }

        await ctx.Out.WriteAsync($"{question} Type 'yes' to go on: ");
        var answer = Console.ReadLine();
        if (string.Equals(answer?.Trim(), "yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await ctx.Out.WriteLineAsync("Not confirmed; nothing was changed.");
        return false;
    }
}
