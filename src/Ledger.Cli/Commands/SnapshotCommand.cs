using System.CommandLine;
using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Capture.Gpu;
using Ledger.Capture.Host;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Snapshots;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class SnapshotCommand
{
    public static readonly string[] Kinds = ["gpu", "containers", "storage", "system"];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var what = new Argument<string>("what") { Description = "What to snapshot: " + string.Join(", ", Kinds) + " or all" };
        what.AcceptOnlyFromAmong([.. Kinds, "all"]);
        var mount = new Option<string[]>("--mount") { Description = "storage: a mount to measure, PATH or PATH=TIER (repeatable; default: $LEDGER_HOME/storage.json, else /)" };
        var source = new Option<GpuSource>("--gpu-source") { Description = "gpu: Auto (NVML, then nvidia-smi), Nvml or NvidiaSmi", DefaultValueFactory = _ => GpuSource.Auto };
        var host = CommonOptions.RecordHost();
        var json = CommonOptions.Json();
        var command = new Command("snapshot", "Record the state of the GPU, containers, storage or system now") { what, mount, source, host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var kinds = r.GetValue(what) == "all" ? Kinds : [r.GetValue(what)!];
            var mounts = StorageConfig.Resolve(r.GetValue(mount) ?? [], ctx.Home);
            await using var store = await ctx.OpenStoreAsync(ct);
            // "all" records what this machine has and says what it skipped; one named kind must work or fail.
            var programs = ctx.Programs with { GpuOptions = ctx.Programs.GpuOptions with { Source = r.GetValue(source) } };
            var taken = await TakeAsync(store, kinds, hostName, ctx.Actor, programs, mounts, ct, skipUnavailable: kinds.Length > 1);
            if (r.GetValue(json))
            {
                await taken.Recorded.WriteJsonAsync(ctx.Out);
            }
            else
            {
                foreach (var e in taken.Recorded.Entries)
                {
                    await ctx.Out.WriteLineAsync($"#{e.Seq} {e.Kind}: {e.Title}");
                }

                foreach (var line in taken.Notes)
                {
                    await ctx.Out.WriteLineAsync("  " + line);
                }
            }

            foreach (var skipped in taken.Skipped)
            {
                await ctx.Err.WriteLineAsync($"skipped {skipped}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What a snapshot run recorded, and lines worth showing (changes since the previous snapshot).</summary>
    public sealed record Taken(Recorded Recorded, IReadOnlyList<string> Notes, IReadOnlyList<string> Skipped);

    /// <summary>Takes and records each kind in turn; the demo calls this with its stand-in programs.</summary>
    public static async Task<Taken> TakeAsync(LedgerStore store, IReadOnlyList<string> kinds, string host, string actor, Programs programs, IReadOnlyList<MountSpec> mounts, CancellationToken ct, bool skipUnavailable = false, GpuCollector? gpu = null)
    {
        var recorded = new Recorded();
        var notes = new List<string>();
        var skipped = new List<string>();
        foreach (var kind in kinds)
        {
            ILedgerEvent e;
            try
            {
                e = await CollectAsync(store, kind, host, actor, programs, mounts, notes, gpu, ct);
            }
            catch (CaptureException x) when (skipUnavailable)
            {
                skipped.Add($"{kind}: {x.Message}");
                continue;
            }

            var seq = await store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, kind), e), ct);
            await recorded.AddAsync(store, seq, ct);
        }

        return new Taken(recorded, notes, skipped);
    }

    private static async Task<ILedgerEvent> CollectAsync(LedgerStore store, string kind, string host, string actor, Programs programs, IReadOnlyList<MountSpec> mounts, List<string> notes, GpuCollector? gpu, CancellationToken ct)
    {
        ILedgerEvent e;
        switch (kind)
        {
            case "gpu":
                GpuReadout readout;
                if (gpu is not null)
                {
                    readout = await gpu.CollectAsync(ct);
                }
                else
                {
                    using var once = new GpuCollector(programs.GpuOptions);
                    readout = await once.CollectAsync(ct);
                }

                if (!readout.IsAvailable)
                {
                    // No GPU is a fact about the machine, not an event: nothing is recorded.
                    throw new CaptureException(readout.Unavailable ?? "no NVIDIA GPU found");
                }

                e = new GpuSnapshotTaken(host, actor, readout.Source!, readout.Gpus);
                break;
            case "containers":
                var snapshot = await new PodmanCollector(programs.Podman).SnapshotAsync(host, actor, ct);
                var previous = await store.LatestAsync(typeof(ContainerSnapshotTaken), host, "host", host, ct: ct);
                notes.AddRange(Describe(ContainerChanges.Between((previous?.Data as ContainerSnapshotTaken)?.Containers, snapshot.Containers)));
                e = snapshot;
                break;
            case "storage":
                e = new StorageSnapshotTaken(host, actor, StorageReader.Read(mounts));
                break;
            case "system":
                e = SystemReader.Read(host, actor);
                break;
            default:
                throw new LedgerException($"Unknown snapshot kind '{kind}'.");
        }

        return e;
    }

    /// <summary>Container changes since the previous snapshot, one line each.</summary>
    public static IEnumerable<string> Describe(ContainerChanges c)
    {
        if (c.IsFirstSnapshot)
        {
            yield return "first container snapshot of this host: nothing to compare with";
            yield break;
        }

        if (c.IsEmpty)
        {
            yield return "no container changed since the previous snapshot";
            yield break;
        }

        foreach (var a in c.Added)
        {
            yield return $"+ {a.Name} ({a.Image}, {a.State})";
        }

        foreach (var x in c.Removed)
        {
            yield return $"- {x.Name} is gone";
        }

        foreach (var s in c.StateChanges)
        {
            yield return $"~ {s.Name}: {s.From} -> {s.To}";
        }

        foreach (var r in c.Restarts)
        {
            yield return r.Recreated ? $"~ {r.Name} was re-created" : $"~ {r.Name} restarted {r.Count} times";
        }

        foreach (var h in c.HealthChanges)
        {
            yield return $"~ {h.Name} health: {h.From ?? "none"} -> {h.To ?? "none"}";
        }
    }
}
