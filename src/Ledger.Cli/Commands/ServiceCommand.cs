using System.CommandLine;
using Ledger.App.Services;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class ServiceCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var unit = new Argument<string>("unit") { Description = "The systemd unit, e.g. podman-jellyfin.service" };
        var reason = new Option<string?>("--reason") { Description = "Why" };
        var host = CommonOptions.RecordHost();
        var restart = new Command("restart", "The runbook's emergency restart: container snapshot, systemctl restart, snapshot, all recorded") { unit, reason, host };
        restart.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var name = r.GetValue(unit)!;
            await using var store = await ctx.OpenStoreAsync(ct);
            var done = await ServiceRestart.RunAsync(store, r.GetValue(host) ?? ctx.DefaultHost, ctx.Actor, ctx.Programs, name, r.GetValue(reason), ctx.Log, ct);
            await ctx.Out.WriteLineAsync(done.Succeeded
                ? $"#{done.Seq} restarted {name}" + (done.Before is null ? " (no container snapshot: podman unavailable)" : $"; container snapshots #{done.Before} and #{done.After}")
                : $"#{done.Seq} restarting {name} FAILED (systemctl exit {done.ExitCode}): {done.Output.Trim()}");
            return done.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        });
        return new Command("service", "Act on a service and record it") { restart };
    }
}
