using System.CommandLine;
using Ledger.App;
using Ledger.App.Deploy;

namespace Ledger.Cli.Commands;

internal static class DeployCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var message = new Option<string>("--message", "-m") { Description = "Commit message for the working tree's changes", Required = true };
        var scope = RepoTarget.Create();
        var action = new Option<string>("--action") { Description = "nixos-rebuild action: switch, boot or test", DefaultValueFactory = _ => "switch" };
        action.AcceptOnlyFromAmong(DeployEngine.Actions);
        var flake = new Option<string?>("--flake") { Description = "Flake attribute, e.g. .#mediabox" };
        var autoRollback = new Option<bool>("--auto-rollback") { Description = "If the switch or a validation fails, restore the last deploy that validated" };
        var noValidate = new Option<bool>("--no-validate") { Description = "Skip the post-deploy validations" };
        var config = new Option<string?>("--config") { Description = "The checklist (default: $LEDGER_HOME/checks.json)" };
        var command = new Command("deploy", "Commit the configuration, nixos-rebuild it, record and validate it (exit 0 only when the result is what was asked for)")
        {
            message, scope.Repo, action, flake, autoRollback, noValidate, config, scope.Host,
        };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            await using var store = await ctx.OpenStoreAsync(ct);
            var op = new OperationContext(store, scope.HostOf(r, ctx), ctx.Actor, ctx.Programs, Path.GetFullPath(r.GetValue(config) ?? Path.Combine(ctx.Home, "checks.json")), ctx.StatusOut, ctx.Env);
            var result = await new DeployEngine(op).RunAsync(
                r.GetValue(scope.Repo)!,
                new DeployRequest(r.GetValue(message)!, r.GetValue(action)!, r.GetValue(flake), r.GetValue(autoRollback), !r.GetValue(noValidate)),
                ct);
            await ctx.Out.WriteLineAsync(result.Message);
            return result.ExitCode;
        });
        return command;
    }
}
