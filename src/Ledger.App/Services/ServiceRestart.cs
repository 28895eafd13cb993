using System.Diagnostics;
using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Processes;
using Ledger.Core.Text;
using Ledger.Core.Validation;
using Ledger.Store;
using Serilog;

namespace Ledger.App.Services;

/// <summary>The runbook's emergency restart: a container snapshot, <c>systemctl restart</c>, another snapshot, all recorded.</summary>
internal static class ServiceRestart
{
    /// <summary>What a restart recorded: its event, whether systemctl succeeded, and the snapshots around it (null: podman unavailable).</summary>
    public sealed record Outcome(long Seq, bool Succeeded, int ExitCode, string Output, long? Before, long? After);

    public static async Task<Outcome> RunAsync(LedgerStore store, string host, string actor, Programs programs, string unit, string? reason, ILogger log, CancellationToken ct)
    {
        var before = await SnapshotAsync(store, host, actor, programs, log, ct);
        var sw = Stopwatch.StartNew();
        ProgramResult result;
        try
        {
            result = await ProgramRunner.Default.RunAsync(new ProgramCall(programs.Systemctl, ["restart", unit]), ct);
        }
        catch (ProgramNotStartedException e)
        {
            throw new LedgerException($"{programs.Systemctl} could not be started ({e.Reason}); run this on the host itself.");
        }

        var output = OutputLimit.KeepTail(Redactor.Default.Redact(result.StandardOutput + result.StandardError), 4096).Text;
        var after = await SnapshotAsync(store, host, actor, programs, log, ct);
        var ok = result.ExitCode == 0;
        var seq = await store.AppendAsync(
            new NewEvent(StreamKeys.Services(host), new ServiceRestarted(host, actor, unit, reason is { } why ? Redactor.Default.Redact(why) : null, ok, output, (long)sw.Elapsed.TotalMilliseconds, before, after)),
            ct);
        return new Outcome(seq, ok, result.ExitCode, output, before, after);
    }

    private static async Task<long?> SnapshotAsync(LedgerStore store, string host, string actor, Programs programs, ILogger log, CancellationToken ct)
    {
        try
        {
            var snapshot = await new PodmanCollector(programs.Podman).SnapshotAsync(host, actor, ct);
            return await store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "containers"), snapshot), ct);
        }
        catch (CaptureException e)
        {
            log.Warning("No container snapshot around the restart: {Reason}", e.Message);
            return null;
        }
    }
}
