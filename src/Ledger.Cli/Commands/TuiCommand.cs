using System.CommandLine;
using Ledger.App;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class TuiCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var host = new Option<string?>("--host") { Description = "Show this host's events (default: $LEDGER_HOST, else every host)" };
        var repo = new Option<string?>("--repo", "-r") { Description = "The configuration repository to restore (default: the one the event names)" };
        var config = new Option<string?>("--config") { Description = "The checklist that v and a restore validate with (default: $LEDGER_HOME/checks.json)" };
        var timeZone = CommonOptions.TimeZone();
        var command = new Command("tui", "Browse the timeline in a terminal UI: filter, details, diffs, restore to an event") { host, repo, config, timeZone };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            if (Console.IsInputRedirected || Console.IsOutputRedirected)
            {
                throw new LedgerException("ledger tui needs a terminal; use 'ledger timeline' in scripts and pipes.");
            }

            var hostName = r.GetValue(host) ?? (ctx.Env("LEDGER_HOST") is { Length: > 0 } h ? h : null);
            var checklist = Path.GetFullPath(r.GetValue(config) ?? Path.Combine(ctx.Home, "checks.json"));
            ctx.RetriesToLogOnly = true;
            await using var store = await ctx.OpenStoreAsync(ct);
            var services = new Tui.TuiServices(
                store,
                hostName,
                r.GetValue(repo),
                ctx.ResolveTimeZone(r.GetValue(timeZone)),
                Tui.ViewModels.KeyMap.Load(ctx.Home),
                (eventHost, progress) => new OperationContext(store, eventHost, ctx.Actor, ctx.Programs, checklist, progress, ctx.Env),
                ctx.Actor,
                ctx.DefaultHost);
            // Terminal.Gui is loaded here only: the other verbs never touch it.
            await Task.Run(() => Tui.TuiApp.Run(services), ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
