using Ledger.Core.Events;

namespace Ledger.Core.Tests;

/// <summary>
/// One instance of every event type, written by hand. Every property has a value that is not its
/// default, so a property that JSON drops or fails to read back shows up as a difference.
/// </summary>
internal static class Samples
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.FromHours(1));

    public static ConfigEdited ConfigEdited { get; } = new(
        Host: "box",
        Actor: "alice",
        Repo: "/etc/nixos",
        Sha: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        Parents: ["0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"],
        Author: "Alice Example",
        AuthorEmail: "alice@example.org",
        CommittedAt: Noon,
        Message: "Enable nginx\n\nServe the status page.",
        Purpose: "Enable nginx",
        Files:
        [
            new FileChange(
                Path: "hosts/box/web.nix",
                OldPath: "hosts/box/nginx.nix",
                Kind: FileChangeKind.Renamed,
                LinesAdded: 12,
                LinesRemoved: 3,
                Ranges: [new LineRange(5, 6), new LineRange(10, 19)],
                Binary: false,
                Patch: "@@ -4,3 +4,5 @@\n {\n+  a = 1;\n+  b = 2;\n }\n",
                PatchTruncated: true),
            new FileChange(
                Path: "logo.png",
                OldPath: null,
                Kind: FileChangeKind.TypeChanged,
                LinesAdded: 0,
                LinesRemoved: 0,
                Ranges: [],
                Binary: true,
                Patch: null,
                Note: "text with NUL bytes, kept as binary: 20 bytes, sha256 0b1c"),
        ],
        LinesAdded: 12,
        LinesRemoved: 3,
        Notes: "Needed for the status page.",
        Incomplete: "the diff cannot be computed (LibGit2SharpException: object not found)",
        MessageEncoding: "ISO-8859-1");

    public static ChangeAnnotated ChangeAnnotated { get; } = new(
        Host: "box",
        Actor: "alice",
        TargetSeq: 42,
        Sha: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        Purpose: "Enable nginx for the status page",
        Notes: "Reviewed by bob",
        Validation: "curl https://box/status returned 200");

    public static ChangeDerived ChangeDerived { get; } = new(
        Host: "box",
        Actor: "alice",
        TargetSeq: 1200,
        Repo: "/etc/nixos",
        Sha: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        FlakeInputs: [new("nixpkgs", "updated", "aaa", "bbb", "2026-05-01T00:00:00Z", "2026-05-15T00:00:00Z", "nixos-25.11", "nixos-26.05")],
        FlakeLockProblem: "flake.lock before this commit: not valid JSON",
        Hosts: ["media"],
        Shared: true);

    public static RepositoryRegistered RepositoryRegistered { get; } = new(
        Host: "box",
        Actor: "root",
        Repo: "/etc/nixos",
        Branch: "main",
        HookInstalled: true);

    public static BackupTaken BackupTaken { get; } = new(
        Host: "box",
        Actor: "alice",
        Path: "/etc/nixos/configuration.nix",
        Sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        SizeBytes: 2048,
        Reason: "before restore",
        ConfigCommit: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        UnixMode: 420);

    public static FileRestored FileRestored { get; } = new(
        Host: "box",
        Actor: "alice",
        Path: "/etc/nixos/configuration.nix",
        Destination: "/tmp/configuration.nix",
        FromSeq: 41,
        Sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        PreviousSha256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
        PreviousBackupSeq: 42);

    public static ValidationRun ValidationRun { get; } = new(
        Host: "box",
        Actor: "ledger",
        Check: "containers-healthy",
        CheckKind: "podman",
        Status: ValidationStatus.Fail,
        DurationMs: 1250,
        Summary: "1 container restarting",
        Findings: [new Finding("grafana", "restarted 5 times in 10 minutes", "warning")],
        Output: "grafana  Restarting (1) 3 seconds ago",
        OutputTruncated: true,
        ConfigCommit: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        RunId: "run-7");

    public static GpuSnapshotTaken GpuSnapshotTaken { get; } = new(
        Host: "box",
        Actor: "ledger",
        Source: "nvml",
        Gpus:
        [
            new GpuReading(
                Index: 1,
                Name: "NVIDIA RTX A4000",
                Uuid: "GPU-5a6b7c8d-0000-1111-2222-333344445555",
                UtilizationGpuPercent: 37.5,
                UtilizationMemoryPercent: 12.5,
                MemoryUsedMiB: 2048.5,
                MemoryTotalMiB: 16376,
                TemperatureC: 61,
                PowerWatts: 88.25,
                EncoderPercent: 3,
                DecoderPercent: 4,
                Processes: [new GpuProcess(4242, "jellyfin-ffmpeg", 512.5)]),
        ]);

    public static ContainerSnapshotTaken ContainerSnapshotTaken { get; } = new(
        Host: "box",
        Actor: "ledger",
        Runtime: "podman",
        Containers:
        [
            new ContainerState(
                Id: "8c1d2e3f4a5b",
                Name: "grafana",
                Image: "docker.io/grafana/grafana:11.3.0",
                State: "running",
                Health: "healthy",
                RestartCount: 2,
                StartedAt: Noon,
                Ports: ["3000/tcp"]),
        ]);

    public static StorageSnapshotTaken StorageSnapshotTaken { get; } = new(
        Host: "box",
        Actor: "ledger",
        Mounts: [new MountUsage("/srv/media", "cold", 4_000_000_000_000, 3_000_000_000_000, 1_000_000_000_000)]);

    public static SystemSnapshotTaken SystemSnapshotTaken { get; } = new(
        Host: "box",
        Actor: "ledger",
        Kernel: "6.6.63",
        UptimeSeconds: 86_400,
        Load1: 0.5,
        Load5: 0.75,
        Load15: 1.25,
        MemoryTotalBytes: 34_359_738_368,
        MemoryAvailableBytes: 17_179_869_184,
        Generation: 314,
        NixosVersion: "24.11.20241127.abcdef0 (Vicuna)");

    public static DeployStarted DeployStarted { get; } = new(
        Host: "box",
        Actor: "alice",
        DeployId: "deploy-1",
        Repo: "/etc/nixos",
        Commit: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        Action: "switch",
        Flake: "/etc/nixos#box",
        Message: "Enable nginx");

    public static DeployFinished DeployFinished { get; } = new(
        Host: "box",
        Actor: "alice",
        DeployId: "deploy-1",
        Repo: "/etc/nixos",
        Commit: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        Action: "switch",
        Validated: false,
        Outcome: DeployOutcome.ValidationFailed,
        Generation: 315,
        DurationMs: 93_000,
        ExitCode: 1,
        OutputTail: "activating the configuration...",
        Error: "containers-healthy failed");

    public static GenerationActivated GenerationActivated { get; } = new(
        Host: "box",
        Actor: "ledger-serve",
        FromGeneration: 315,
        Generation: 316,
        PackageChanges: [new("jellyfin", ["10.9.11"], ["10.10.3"], 20480), new("unit-script", [""], [], null)],
        NixosVersion: "24.11.20241120.1234567",
        NixpkgsRevision: "1234567890abcdef1234567890abcdef12345678",
        ConfigurationRevision: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        SystemProblem: "1 line(s) of nix store diff-closures not understood, first: warning: x");

    public static RestoreStarted RestoreStarted { get; } = new(
        Host: "box",
        Actor: "alice",
        RestoreId: "restore-1",
        Repo: "/etc/nixos",
        TargetSeq: 41,
        TargetCommit: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        FromCommit: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2",
        Via: "revert-commit",
        Reason: "nginx broke grafana",
        Automatic: true,
        TargetGeneration: 314);

    public static RestoreStepCompleted RestoreStepCompleted { get; } = new(
        Host: "box",
        Actor: "alice",
        RestoreId: "restore-1",
        Step: "commit",
        Detail: "committed 7d8e9f0a",
        DurationMs: 120);

    public static RestoreCompleted RestoreCompleted { get; } = new(
        Host: "box",
        Actor: "alice",
        RestoreId: "restore-1",
        Repo: "/etc/nixos",
        TargetSeq: 1200,
        NewCommit: "7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f901",
        Generation: 316,
        DurationMs: 95_000);

    public static RestoreFailed RestoreFailed { get; } = new(
        Host: "box",
        Actor: "alice",
        RestoreId: "restore-2",
        Step: "switch",
        Error: "nixos-rebuild exited with 1",
        UndoneTo: "3f2a9c1d7e5b4a6091c2d3e4f5a6b7c8d9e0f1a2");

    public static ServiceRestarted ServiceRestarted { get; } = new(
        Host: "box",
        Actor: "ledger",
        Unit: "podman-grafana.service",
        Reason: "restart loop",
        Succeeded: true);

    public static AlertFired AlertFired { get; } = new(
        Host: "box",
        Actor: "alertmanager",
        AlertName: "DiskFull",
        Fingerprint: "c4f2a1b3d5e6f708",
        StartsAt: Noon,
        Severity: "critical",
        Labels: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = "DiskFull",
            ["Instance"] = "box:9100",
        },
        Annotations: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = "/srv/media is 95% full",
        },
        GeneratorUrl: "http://box:9090/graph?g0.expr=disk");

    public static AlertResolved AlertResolved { get; } = new(
        Host: "box",
        Actor: "alertmanager",
        AlertName: "DiskFull",
        Fingerprint: "c4f2a1b3d5e6f708",
        StartsAt: Noon,
        EndsAt: Noon.AddHours(2),
        Labels: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = "DiskFull",
            ["Instance"] = "box:9100",
        },
        Annotations: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = "/srv/media is 95% full",
        });

    public static IReadOnlyList<ILedgerEvent> All { get; } =
    [
        ConfigEdited,
        ChangeAnnotated,
        ChangeDerived,
        RepositoryRegistered,
        BackupTaken,
        FileRestored,
        ValidationRun,
        GpuSnapshotTaken,
        ContainerSnapshotTaken,
        StorageSnapshotTaken,
        SystemSnapshotTaken,
        DeployStarted,
        DeployFinished,
        GenerationActivated,
        RestoreStarted,
        RestoreStepCompleted,
        RestoreCompleted,
        RestoreFailed,
        ServiceRestarted,
        AlertFired,
        AlertResolved,
    ];

    public static ILedgerEvent Of(Type eventType) => All.Single(e => e.GetType() == eventType);
}
