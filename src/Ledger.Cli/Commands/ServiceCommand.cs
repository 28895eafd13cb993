using System.CommandLine;
using System.Diagnostics;
using CliWrap.Buffered;
using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Validation;
using Ledger.Store;

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
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var name = r.GetValue(unit)!;
            await using var store = await ctx.OpenStoreAsync(ct);
            var before = await SnapshotAsync(store, hostName, ctx, ct);
            var sw = Stopwatch.StartNew();
            BufferedCommandResult result;
            try
            {
                result = await CliWrap.Cli.Wrap(ctx.Programs.Systemctl).WithArguments(["restart", name]).WithValidation(CliWrap.CommandResultValidation.None).ExecuteBufferedAsync(ct);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new LedgerException($"{ctx.Programs.Systemctl} could not be started ({e.Message}); run this on the host itself.");
            }

            var output = OutputLimit.KeepTail(Redactor.Default.Redact(result.StandardOutput + result.StandardError), 4096).Text;
            var after = await SnapshotAsync(store, hostName, ctx, ct);
            var ok = result.ExitCode == 0;
            var seq = await store.AppendAsync(
                new NewEvent(StreamKeys.Services(hostName), new ServiceRestarted(hostName, ctx.Actor, name, r.GetValue(reason) is { } why ? Redactor.Default.Redact(why) : null, ok, output, (long)sw.Elapsed.TotalMilliseconds, before, after)),
                ct);
            await ctx.Out.WriteLineAsync(ok
                ? $"#{seq} restarted {name}" + (before is null ? " (no container snapshot: podman unavailable)" : $"; container snapshots #{before} and #{after}")
                : $"#{seq} restarting {name} FAILED (systemctl exit {result.ExitCode}): {output.Trim()}");
            return ok ? ExitCodes.Success : ExitCodes.Failure;
        });
        return new Command("service", "Act on a service and record it") { restart };
    }

    private static async Task<long?> SnapshotAsync(LedgerStore store, string host, CliContext ctx, CancellationToken ct)
    {
        try
        {
            var snapshot = await new PodmanCollector(ctx.Programs.Podman).SnapshotAsync(host, ctx.Actor, ct);
            return await store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "containers"), snapshot), ct);
        }
        catch (CaptureException e)
        {
            ctx.Log.Warning("No container snapshot around the restart: {Reason}", e.Message);
            return null;
        }
    }
}
