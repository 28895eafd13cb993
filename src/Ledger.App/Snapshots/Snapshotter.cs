using Ledger.App.Recording;
using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Capture.Gpu;
using Ledger.Capture.Host;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Snapshots;
using Ledger.Store;

namespace Ledger.App.Snapshots;

/// <summary>Takes snapshots of the GPU, containers, storage and system and records them (the CLI, the daemon's schedule and the demo).</summary>
internal static class Snapshotter
{
    public static readonly string[] Kinds = ["gpu", "containers", "storage", "system"];

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
