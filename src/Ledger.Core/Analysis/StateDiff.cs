using System.Globalization;
using Ledger.Core.Events;
using Ledger.Core.Snapshots;
using Ledger.Core.Timeline;

namespace Ledger.Core.Analysis;

/// <summary>
/// What changed between two readings of the same kind: a container that stopped, restarted or
/// turned unhealthy; GPU encoder use that fell to 0 or a process that left the GPU; a mount that
/// filled up; a check that passed before and failed after.
/// </summary>
public static class StateDiff
{
    /// <summary>The kind of reading an event is, or null when it is none (snapshots of the system say nothing here).</summary>
    public static string? ReadingKind(TimelineEntry e) => e.Data switch
    {
        ContainerSnapshotTaken => "containers",
        GpuSnapshotTaken => "gpu",
        StorageSnapshotTaken => "storage",
        ValidationRun v => "check " + v.Check,
        _ => null,
    };

    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/>, two readings of one kind.</summary>
    public static IReadOnlyList<StateChange> Between(TimelineEntry before, TimelineEntry after)
    {
        var changes = new List<StateChange>();
        switch (before.Data, after.Data)
        {
            case (ContainerSnapshotTaken b, ContainerSnapshotTaken a):
                Containers(ContainerChanges.Between(b.Containers, a.Containers), before.Seq, after.Seq, changes);
                break;
            case (GpuSnapshotTaken b, GpuSnapshotTaken a):
                Gpus(b, a, before.Seq, after.Seq, changes);
                break;
            case (StorageSnapshotTaken b, StorageSnapshotTaken a):
                Mounts(b, a, before.Seq, after.Seq, changes);
                break;
            case (ValidationRun b, ValidationRun a) when b.Check == a.Check:
                if (b.Status == ValidationStatus.Pass && a.Status != ValidationStatus.Pass)
                {
                    changes.Add(new StateChange("validation", a.Check, $"check {a.Check} passed before and {(a.Status == ValidationStatus.Fail ? "failed" : "could not run")} after: {a.Summary}", before.Seq, after.Seq));
                }
                else if (b.Status != ValidationStatus.Pass && a.Status == ValidationStatus.Pass)
                {
                    changes.Add(new StateChange("validation", a.Check, $"check {a.Check} failed before and passed after", before.Seq, after.Seq));
                }

                break;
        }

        return changes;
    }

    private static void Containers(ContainerChanges c, long b, long a, List<StateChange> changes)
    {
        foreach (var x in c.Removed)
        {
            changes.Add(new StateChange("container", x.Name, $"container {x.Name} is gone", b, a));
        }

        foreach (var s in c.StateChanges)
        {
            changes.Add(new StateChange("container", s.Name, $"container {s.Name} went from {s.From} to {s.To}", b, a));
        }

        foreach (var r in c.Restarts)
        {
            changes.Add(new StateChange("container", r.Name, r.Recreated ? $"container {r.Name} was re-created" : $"container {r.Name} restarted {r.Count} time{(r.Count == 1 ? "" : "s")}", b, a));
        }

        foreach (var h in c.HealthChanges)
        {
            changes.Add(new StateChange("container", h.Name, $"container {h.Name} health went from {h.From ?? "none"} to {h.To ?? "none"}", b, a));
        }
    }

    private static void Gpus(GpuSnapshotTaken before, GpuSnapshotTaken after, long b, long a, List<StateChange> changes)
    {
        foreach (var was in before.Gpus)
        {
            var now = after.Gpus.FirstOrDefault(g => g.Uuid == was.Uuid) ?? after.Gpus.FirstOrDefault(g => g.Index == was.Index);
            if (now is null)
            {
                changes.Add(new StateChange("gpu", $"gpu {was.Name}", $"GPU {was.Index} ({was.Name}) is gone", b, a));
                continue;
            }

            if (was.EncoderPercent is > 0 && now.EncoderPercent is 0)
            {
                changes.Add(new StateChange("gpu", $"gpu encoder {was.Name}", $"GPU {was.Index} encoder use fell from {Percent(was.EncoderPercent.Value)} to 0%", b, a));
            }

            foreach (var p in was.Processes.Where(p => !now.Processes.Any(q => q.Name == p.Name)).Select(p => p.Name).Distinct().Order(StringComparer.Ordinal))
            {
                changes.Add(new StateChange("gpu", $"gpu {p}", $"{p} no longer runs on GPU {was.Index}", b, a));
            }
        }
    }

    private static void Mounts(StorageSnapshotTaken before, StorageSnapshotTaken after, long b, long a, List<StateChange> changes)
    {
        foreach (var now in after.Mounts)
        {
            var was = before.Mounts.FirstOrDefault(m => m.Mount == now.Mount);
            if (was is null || was.TotalBytes <= 0 || now.TotalBytes <= 0)
            {
                continue;
            }

            var from = 100.0 * was.UsedBytes / was.TotalBytes;
            var to = 100.0 * now.UsedBytes / now.TotalBytes;
            if (to - from >= FillingPoints || (from < FullPercent && to >= FullPercent))
            {
                changes.Add(new StateChange("storage", $"mount {now.Mount}", $"{now.Mount} went from {Percent(from)} to {Percent(to)} full", b, a));
            }
        }
    }

    private static string Percent(double p) => p.ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A mount counts as filling up when its use rose by this many percentage points, or crossed <see cref="FullPercent"/>.</summary>
    public const double FillingPoints = 5;

    /// <summary>The use above which a mount is called nearly full.</summary>
    public const double FullPercent = 90;
}
