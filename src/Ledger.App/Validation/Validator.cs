using System.Globalization;
using Ledger.App.Recording;
using Ledger.Capture;
using Ledger.Capture.Checks;
using Ledger.Capture.Containers;
using Ledger.Capture.Gpu;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Snapshots;
using Ledger.Core.Text;
using Ledger.Core.Validation;
using Ledger.Store;

namespace Ledger.App.Validation;

/// <summary>Runs a validation checklist and records one event per check (the CLI, the TUI, the daemon, deploy and restore all come here).</summary>
internal static class Validator
{
    /// <summary>What one validation run recorded and the exit code it earns.</summary>
    public sealed record Result(Recorded Recorded, int ExitCode);

    public static Checklist Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LedgerException(
                $"There is no checklist at {path}. Start from the example: ledger validate --example-config > {path} (then edit it), or pass --config FILE.");
        }

        return Checklist.Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>
    /// Runs the checks one after another (nixos-rebuild test activates the configuration that the
    /// later checks look at) and records each as it finishes. <paramref name="progress"/> gets a line per check.
    /// </summary>
    public static async Task<Result> RunAsync(LedgerStore store, IReadOnlyList<CheckDefinition> checks, string host, string actor, Programs programs, string? configCommit, TextWriter? progress, CancellationToken ct)
    {
        var runId = $"{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var runner = new CheckRunner(new CheckRunnerOptions
        {
            NixosRebuildProgram = programs.NixosRebuild,
            SystemctlProgram = programs.Systemctl,
            Containers = (c, token) => ContainersAsync(store, c, host, actor, programs, token),
            Gpu = (c, token) => GpuAsync(c, programs, token),
        });
        var recorded = new Recorded();
        var statuses = new List<ValidationStatus>();
        foreach (var c in checks)
        {
            var outcome = await runner.RunAsync(c, ct);
            var seq = await store.AppendAsync(new NewEvent(StreamKeys.Validations(host), outcome.ToValidationRun(c, host, actor, configCommit, runId)), ct);
            await recorded.AddAsync(store, seq, ct);
            statuses.Add(outcome.Status);
            if (progress is not null)
            {
                var status = outcome.Status.ToString().ToUpperInvariant();
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{status,-5}  {c.Name}  ({c.Kind}, {outcome.Duration.TotalSeconds:0.0} s, #{seq})  {outcome.Summary}"));
                foreach (var f in outcome.Findings)
                {
                    await progress.WriteLineAsync($"       - {f.Subject}: {f.Message}");
                }
            }
        }

        var exit = ValidationExitCode.For(statuses);
        if (progress is not null)
        {
            var passed = statuses.Count(s => s == ValidationStatus.Pass);
            await progress.WriteLineAsync($"{passed} of {Plural.Of(statuses.Count, "check")} passed" + (configCommit is null ? "." : $" for config commit {EventCatalogue.ShortSha(configCommit)}."));
        }

        return new Result(recorded, exit);
    }

    private static async Task<CheckOutcome> GpuAsync(GpuCheck check, Programs programs, CancellationToken ct)
    {
        try
        {
            using var collector = new GpuCollector(programs.GpuOptions with { NvidiaSmiTimeout = check.Timeout });
            var readout = await collector.CollectAsync(ct);
            return GpuCheckJudge.Evaluate(check, readout.Gpus, readout.Unavailable);
        }
        catch (CaptureException e)
        {
            return CheckOutcome.Error(e.Message);
        }
    }

    /// <summary>
    /// The containers check: list podman's containers, judge them against the previous snapshot,
    /// and record this listing as the next snapshot so restart loops show between validations.
    /// </summary>
    private static async Task<CheckOutcome> ContainersAsync(LedgerStore store, ContainersCheck check, string host, string actor, Programs programs, CancellationToken ct)
    {
        ContainerSnapshotTaken snapshot;
        try
        {
            snapshot = await new PodmanCollector(programs.Podman, check.Timeout).SnapshotAsync(host, actor, ct);
        }
        catch (CaptureException e)
        {
            return CheckOutcome.Error(e.Message);
        }

        var previous = (await store.LatestAsync(typeof(ContainerSnapshotTaken), host, "host", host, ct: ct))?.Data as ContainerSnapshotTaken;
        await store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "containers"), snapshot), ct);
        var (status, summary, findings) = ContainerCheck.Evaluate(new ContainerCheckSpec(check.Expected, check.MaxRestarts), snapshot.Containers, previous?.Containers);
        return new CheckOutcome(status, summary, findings);
    }
}
