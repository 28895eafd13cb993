using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.IntegrationTests.Projections;

/// <summary>
/// A fixed month of events for one host (March 2026, Europe/Berlin): five commits, validations,
/// deploys, a rollback, a restore, a late annotation, alerts (one flapping, one left open), GPU,
/// container and storage snapshots and a stale backup. Times are fixed, so seeding a fresh
/// database gives the same sequence numbers and the same docs every time.
/// </summary>
internal static class ProjectionHistory
{
    public const string Repo = "/etc/nixos";
    public const string Actor = "alice";

    // Shas are fixed hex strings, as git would give (the events, not a repository, are under test).
    public const string ShaA = "a1a1a1a1b2b2b2b2c3c3c3c3d4d4d4d4e5e5e5e5";
    public const string ShaB = "b0b0b0b01111222233334444555566667777aaaa";
    public const string ShaB2 = "b2b2b2b2cccc0000dddd1111eeee2222ffff3333";
    public const string ShaC = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";
    public const string ShaD = "d00dd00dd00dd00dd00dd00dd00dd00dd00dd00d";

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    public static async Task SeedAsync(LedgerStore store, string host)
    {
        ConfigEdited Commit(string sha, string[] parents, DateTimeOffset at, string message, params FileChange[] files) =>
            new(host, Actor, Repo, sha, parents, "Alice Admin", "alice@example.org", at, message, message.Split('\n')[0], files,
                files.Sum(f => f.LinesAdded), files.Sum(f => f.LinesRemoved));

        static FileChange File(string path, FileChangeKind kind, int added, int removed, params LineRange[] ranges) =>
            new(path, null, kind, added, removed, ranges, false, "@@ patch @@");

        var commits = new[]
        {
            Commit(ShaA, [], Utc(3, 2, 9), "Initial configuration for the media server",
                File("configuration.nix", FileChangeKind.Added, 40, 0, new LineRange(1, 40)),
                File("hardware-configuration.nix", FileChangeKind.Added, 20, 0, new LineRange(1, 20))),
            Commit(ShaB, [ShaA], Utc(3, 14, 9, 26), "Enable NVIDIA transcoding for Jellyfin\n\nNVENC/NVDEC through the nvidia-container-toolkit; see the *arr wiki.",
                File("configuration.nix", FileChangeKind.Modified, 7, 1, new LineRange(12, 18)),
                File("modules/gpu.nix", FileChangeKind.Added, 14, 0, new LineRange(1, 14))),
            Commit(ShaB2, [ShaB], Utc(3, 14, 15), "Open the Jellyfin port on the LAN",
                File("configuration.nix", FileChangeKind.Modified, 1, 0, new LineRange(40, 40)),
                File("flake.lock", FileChangeKind.Modified, 9, 5, new LineRange(3, 11))) with
            {
                FlakeInputs =
                [
                    new("agenix", "added", null, "8d37c5bdeade12f6479c6fd3a4e5f4cf8d7ce5ed", null, "2026-02-20T10:00:00Z", null, "main"),
                    new("nixpkgs", "updated", "0123456789abcdef0123456789abcdef01234567", "89abcdef0123456789abcdef0123456789abcdef", "2026-02-28T00:00:00Z", "2026-03-13T00:00:00Z", "nixos-25.11", "nixos-25.11"),
                ],
            },
            // 00:30 UTC on the day clocks spring forward in Berlin (02:00 -> 03:00).
            Commit(ShaC, [ShaB2], Utc(3, 29, 0, 30), "Try [experimental] | pipes & *stars* in a message",
                File("modules/old.nix", FileChangeKind.Deleted, 0, 12),
                File("modules/new.nix", FileChangeKind.Modified, 3, 2, new LineRange(5, 6), new LineRange(9, 9))),
            // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin: an April change there, a March one in UTC.
            Commit(ShaD, [ShaC], Utc(3, 31, 22, 30), "Raise the Prometheus retention",
                File("modules/monitoring.nix", FileChangeKind.Modified, 1, 1, new LineRange(22, 22))),
        };

        foreach (var c in commits)
        {
            await store.AppendAsync(new NewEvent(StreamKeys.Commit(host, Repo, c.Sha), c, c.CommittedAt));
        }

        var validations = StreamKeys.Validations(host);
        await Append(store, validations, Utc(3, 14, 9, 40), new ValidationRun(host, Actor, "nixos-rebuild-test", "nixos-rebuild", ValidationStatus.Pass, 5000, "dry activation ok", [], null, false, ShaB, "20260314094000-aaaaaa"));
        await Append(store, validations, Utc(3, 14, 9, 41), new ValidationRun(host, Actor, "containers", "containers", ValidationStatus.Pass, 300, "3 containers running", [], null, false, ShaB, "20260314094000-aaaaaa"));
        await Append(store, validations, Utc(3, 14, 16), new ValidationRun(host, Actor, "containers", "containers", ValidationStatus.Fail, 300, "1 problem: radarr exited", [new Finding("radarr", "exited")], null, false, ShaB2, "20260314160000-bbbbbb"));

        await Append(store, StreamKeys.Deploy(host, "d1"), Utc(3, 14, 9, 35), new DeployStarted(host, Actor, "d1", Repo, ShaB, "switch", ".#media", "Enable NVIDIA transcoding"));
        await Append(store, StreamKeys.Deploy(host, "d1"), Utc(3, 14, 9, 42), new DeployFinished(host, Actor, "d1", Repo, ShaB, "switch", true, DeployOutcome.Succeeded, 42, 420000, 0, null, null));
        await Append(store, StreamKeys.Deploy(host, "d2"), Utc(3, 14, 16, 5), new DeployFinished(
            host, Actor, "d2", Repo, ShaB2, "switch", false, DeployOutcome.RolledBack, 43, 300000, 0, null, "validation failed",
            FromGeneration: 42,
            PackageChanges: [new("jellyfin", ["10.9.11"], ["10.10.3"], 20480), new("radarr", [], ["5.14.0.9383"], 41062), new("zstd", [], [], 20480)],
            NixosVersion: "25.11.20260313.89abcde",
            NixpkgsRevision: "89abcdef0123456789abcdef0123456789abcdef",
            ConfigurationRevision: ShaB2));

        await Append(store, StreamKeys.Restore(host, "r1"), Utc(3, 14, 16, 4), new RestoreStarted(host, Actor, "r1", Repo, 2, ShaB, ShaB2, "git", "automatic rollback of deploy d2", true, 42));
        await Append(store, StreamKeys.Restore(host, "r1"), Utc(3, 14, 16, 5), new RestoreCompleted(host, Actor, "r1", Repo, 2, "e0e0e0e0f1f1f1f1a2a2a2a2b3b3b3b3c4c4c4c4", 42, 60000));

        var alerts = StreamKeys.Alert(host, "fp-disk");
        for (int i = 0; i < 3; i++)
        {
            var start = Utc(3, 10, 3, i * 15);
            await Append(store, alerts, start, new AlertFired(host, "alertmanager", "DiskIOHigh", "fp-disk", start, "warning", new Dictionary<string, string>(), new Dictionary<string, string>(), null));
            await Append(store, alerts, start.AddMinutes(5), new AlertResolved(host, "alertmanager", "DiskIOHigh", "fp-disk", start, start.AddMinutes(5), new Dictionary<string, string>(), new Dictionary<string, string>()));
        }

        await Append(store, StreamKeys.Alert(host, "fp-jf"), Utc(3, 20, 10), new AlertFired(host, "alertmanager", "JellyfinDown", "fp-jf", Utc(3, 20, 10), "critical", new Dictionary<string, string>(), new Dictionary<string, string>(), null));
        await Append(store, StreamKeys.Alert(host, "fp-jf"), Utc(3, 20, 11, 30), new AlertResolved(host, "alertmanager", "JellyfinDown", "fp-jf", Utc(3, 20, 10), Utc(3, 20, 11, 30), new Dictionary<string, string>(), new Dictionary<string, string>()));
        await Append(store, StreamKeys.Alert(host, "fp-gpu"), Utc(3, 30, 18), new AlertFired(host, "alertmanager", "GpuHot", "fp-gpu", Utc(3, 30, 18), "warning", new Dictionary<string, string>(), new Dictionary<string, string>(), null));

        var gpu = StreamKeys.Snapshots(host, "gpu");
        double[] utils = [10, 35, 80];
        for (int i = 0; i < utils.Length; i++)
        {
            await Append(store, gpu, Utc(3, 5 + (i * 10), 12), new GpuSnapshotTaken(host, Actor, "nvml",
                [new GpuReading(0, "NVIDIA L40S", "GPU-1", utils[i], 5, 1000 + (i * 500), 46068, 50 + (i * 10), 100 + i, 20 * i, 10 * i, [])]));
        }

        var containers = StreamKeys.Snapshots(host, "containers");
        string?[] health = ["healthy", "unhealthy", "unhealthy", "healthy"];
        for (int i = 0; i < health.Length; i++)
        {
            await Append(store, containers, Utc(3, 3 + (i * 7), 8), new ContainerSnapshotTaken(host, Actor, "podman",
            [
                new ContainerState("jf1", "jellyfin", "jellyfin:10.10.3", "running", health[i], 0, Utc(3, 1, 0), []),
                new ContainerState("rd1", "radarr", "radarr:5", "running", null, i, Utc(3, 1, 0), []),
            ]));
        }

        var storage = StreamKeys.Snapshots(host, "storage");
        const long GiB = 1L << 30;
        await Append(store, storage, Utc(3, 1, 6), new StorageSnapshotTaken(host, Actor, [new MountUsage("/", "hot", 100 * GiB, 40 * GiB, 60 * GiB), new MountUsage("/srv/media", "cold", 4000 * GiB, 3000 * GiB, 1000 * GiB)]));
        await Append(store, storage, Utc(3, 31, 6), new StorageSnapshotTaken(host, Actor, [new MountUsage("/", "hot", 100 * GiB, 41 * GiB, 59 * GiB), new MountUsage("/srv/media", "cold", 4000 * GiB, 3900 * GiB, 100 * GiB)]));

        await Append(store, StreamKeys.Backup(host, "/etc/nixos/configuration.nix", "ab12"), Utc(3, 1, 7), new BackupTaken(host, Actor, "/etc/nixos/configuration.nix", "ab12", 2048, "before GPU work", ShaA, 420));

        // Written after everything else about the change: the doc must still fold it in.
        var changeB = await store.FirstSeqOfStreamAsync(StreamKeys.Commit(host, Repo, ShaB));
        await Append(store, StreamKeys.Commit(host, Repo, ShaB), Utc(4, 2, 8), new ChangeAnnotated(host, "bob", changeB, ShaB, "Hardware transcoding for 4K streams", "Ticket MEDIA-12", "Played a 4K HEVC file on the TV; nvidia-smi showed NVENC busy"));
    }

    private static Task<long> Append(LedgerStore store, string stream, DateTimeOffset at, ILedgerEvent e) => store.AppendAsync(new NewEvent(stream, e, at));
}
