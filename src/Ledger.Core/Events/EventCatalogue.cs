using Ledger.Core.Text;

namespace Ledger.Core.Events;

/// <summary>One entry of the catalogue: the stored type name (never changes once shipped) and the kind shown to users.</summary>
public sealed record EventDescriptor(Type Type, string Alias, string Kind);

/// <summary>
/// The event catalogue: every event type Ledger stores, the name it is stored under, and the
/// kebab-case kind that <c>timeline --kind</c> and JSON output use. See docs/events.md.
/// </summary>
public static class EventCatalogue
{
    public static IReadOnlyList<EventDescriptor> All { get; } =
    [
        new(typeof(ConfigEdited), "config_edited", "config-edit"),
        new(typeof(ChangeAnnotated), "change_annotated", "annotation"),
        new(typeof(ChangeDerived), "change_derived", "annotation"),
        new(typeof(RepositoryRegistered), "repository_registered", "repository"),
        new(typeof(BackupTaken), "backup_taken", "backup"),
        new(typeof(FileRestored), "file_restored", "backup"),
        new(typeof(ValidationRun), "validation_run", "validation"),
        new(typeof(GpuSnapshotTaken), "gpu_snapshot_taken", "gpu-snapshot"),
        new(typeof(ContainerSnapshotTaken), "container_snapshot_taken", "container-snapshot"),
        new(typeof(StorageSnapshotTaken), "storage_snapshot_taken", "storage-snapshot"),
        new(typeof(SystemSnapshotTaken), "system_snapshot_taken", "system-snapshot"),
        new(typeof(DeployStarted), "deploy_started", "deploy"),
        new(typeof(DeployFinished), "deploy_finished", "deploy"),
        new(typeof(GenerationActivated), "generation_activated", "generation"),
        new(typeof(RestoreStarted), "restore_started", "restore"),
        new(typeof(RestoreStepCompleted), "restore_step_completed", "restore"),
        new(typeof(RestoreCompleted), "restore_completed", "restore"),
        new(typeof(RestoreFailed), "restore_failed", "restore"),
        new(typeof(ServiceRestarted), "service_restarted", "service-restart"),
        new(typeof(AlertFired), "alert_fired", "alert"),
        new(typeof(AlertResolved), "alert_resolved", "alert"),
    ];

    private static readonly Dictionary<Type, EventDescriptor> ByType = All.ToDictionary(d => d.Type);
    private static readonly Dictionary<string, EventDescriptor> ByAlias = All.ToDictionary(d => d.Alias, StringComparer.Ordinal);

    /// <summary>The distinct kinds, in catalogue order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = All.Select(d => d.Kind).Distinct().ToArray();

    /// <summary>The width of <see cref="ShortKind"/>: every kind's short name fits it.</summary>
    public const int ShortKindWidth = 11;

    /// <summary>A kind as lists show it (the TUI, <c>ledger timeline</c>): snapshots by what they are of, so every kind fits <see cref="ShortKindWidth"/> columns; details name it in full.</summary>
    public static string ShortKind(string kind) => kind switch
    {
        "container-snapshot" => "containers",
        "storage-snapshot" => "storage",
        "system-snapshot" => "system",
        "gpu-snapshot" => "gpu",
        "service-restart" => "restart",
        _ => kind,
    };

    public static EventDescriptor Describe(Type type) =>
        ByType.TryGetValue(type, out var d)
            ? d
            : throw new ArgumentException($"{type.Name} is not in the event catalogue.", nameof(type));

    public static EventDescriptor? FindAlias(string alias) => ByAlias.GetValueOrDefault(alias);

    /// <summary>The stored type names of one kind; empty when the kind is unknown.</summary>
    public static IReadOnlyList<string> AliasesOfKind(string kind) =>
        All.Where(d => string.Equals(d.Kind, kind, StringComparison.Ordinal)).Select(d => d.Alias).ToArray();

    /// <summary>A one-line title for the timeline.</summary>
    public static string Title(object e) => e switch
    {
        ConfigEdited c => ConfigEditTitle(c.Sha, c.Purpose, c.Files.Count, c.LinesAdded, c.LinesRemoved, Nix.FlakeInputText.Summary(c.FlakeInputs)),
        ChangeAnnotated a => $"annotated #{a.TargetSeq}" + (a.Purpose is null ? "" : $": {a.Purpose}"),
        ChangeDerived d => $"derived Nix facts of #{d.TargetSeq} ({ShortSha(d.Sha)})" + DerivedText(d),
        RepositoryRegistered r => $"registered {r.Repo} ({r.Branch})" + (r.HookInstalled ? " with post-commit hook" : ""),
        BackupTaken b => $"backup of {b.Path} ({b.SizeBytes} bytes, {b.Sha256[..Math.Min(12, b.Sha256.Length)]})",
        FileRestored f => $"restored {f.Destination} from backup #{f.FromSeq} ({f.Sha256[..Math.Min(12, f.Sha256.Length)]})",
        ValidationRun v => $"{v.Check}: {v.Status.ToString().ToLowerInvariant()} - {v.Summary}",
        GpuSnapshotTaken g => GpuSnapshotTitle(g.Gpus.Count, g.Source),
        ContainerSnapshotTaken c => ContainerSnapshotTitle(c.Containers.Count, c.Containers.Count(x => x.State == "running")),
        StorageSnapshotTaken s => StorageSnapshotTitle(s.Mounts.Count),
        SystemSnapshotTaken s => SystemSnapshotTitle(s.Kernel, s.Load1, s.Generation),
        DeployStarted d => $"deploy {ShortSha(d.Commit)} ({d.Action}) started",
        DeployFinished d => $"deploy {ShortSha(d.Commit)} {d.Outcome.Describe()}" + (d.Generation is { } g ? $", generation {g}" : "") + Packages(d.PackageChanges),
        GenerationActivated a => $"generation {(a.FromGeneration is { } f ? $"{f} → " : "")}{a.Generation} activated" + Packages(a.PackageChanges),
        RestoreStarted r => $"restore to #{r.TargetSeq} ({ShortSha(r.TargetCommit)}) started via {r.Via}" + (r.Automatic ? " (automatic)" : ""),
        RestoreStepCompleted r => $"restore step {r.Step}: {r.Detail}",
        RestoreCompleted r => $"restore completed at {ShortSha(r.NewCommit)}" + Packages(r.PackageChanges),
        RestoreFailed r => $"restore failed at {r.Step}: {r.Error}",
        ServiceRestarted s => $"{s.Unit} restarted" + (s.Succeeded ? "" : " (failed)"),
        AlertFired a => $"{a.AlertName} firing" + (a.Severity is null ? "" : $" ({a.Severity})"),
        AlertResolved a => $"{a.AlertName} resolved",
        _ => e.GetType().Name,
    };

    public static string ShortSha(string sha) => sha.Length > 8 ? sha[..8] : sha;

    // Titles shared with EventLine, which reads them without decoding the event.
    internal static string ConfigEditTitle(string sha, string purpose, int files, int added, int removed, string inputs = "") =>
        $"{ShortSha(sha)} {purpose} ({Plural.Of(files, "file")}, +{added}/-{removed}{(inputs.Length == 0 ? "" : "; " + inputs)})";

    private static string DerivedText(ChangeDerived d)
    {
        var parts = new List<string>();
        if (Nix.FlakeInputText.Summary(d.FlakeInputs) is { Length: > 0 } inputs)
        {
            parts.Add(inputs);
        }

        if (Nix.HostText.Touched(d.Hosts, d.Shared) is { } hosts)
        {
            parts.Add("hosts " + hosts);
        }

        if (d.FlakeLockProblem is not null)
        {
            parts.Add("flake.lock unreadable");
        }

        return parts.Count == 0 ? "" : ": " + string.Join("; ", parts);
    }

    private static string Packages(IReadOnlyList<Nix.PackageChange>? changes) =>
        Nix.SystemChange.Summary(changes) is { Length: > 0 } text ? $" ({text})" : "";

    internal static string GpuSnapshotTitle(int gpus, string source) => $"{Plural.Of(gpus, "GPU")} via {source}";

    internal static string ContainerSnapshotTitle(int containers, int running) => $"{Plural.Of(containers, "container")}, {running} running";

    internal static string StorageSnapshotTitle(int mounts) => Plural.Of(mounts, "mount");

    internal static string SystemSnapshotTitle(string kernel, double load1, int? generation) =>
        $"{kernel}, load {load1:0.00}" + (generation is { } g ? $", generation {g}" : "");

}
