using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Core.Events;

namespace Ledger.Bench.Seeding;

/// <summary>
/// A realistic ledger's events, deterministic: per host a snapshot every minute or so (GPU,
/// containers, storage, system), config edits, validations, deploys and alerts, spread evenly
/// between two instants. <see cref="Plan"/> says what to write without payloads; <see cref="Build"/>
/// makes one event.
/// </summary>
internal static class SeedPlan
{
    /// <summary>The word that one config edit in eight carries in its purpose; the timeline's text filter looks for it.</summary>
    public const string SearchWord = "transcoding";

    private static readonly string[] Purposes =
    [
        "Enable jellyfin hardware " + SearchWord, "Bump sonarr to 4.0.9", "Add node exporter scrape target", "Tune alertmanager routes",
        "Open firewall port for grafana", "Move radarr downloads to the media pool", "Pin nvidia driver to 550", "Raise prometheus retention to 90d",
    ];

    private static readonly string[] Containers = ["jellyfin", "sonarr", "radarr", "prowlarr", "bazarr", "grafana", "prometheus", "alertmanager"];
    private static readonly string[] Checks = ["nix-flake-check", "podman-health", "prometheus-targets", "disk-space", "backup-age"];
    private static readonly string[] Alerts = ["GpuHot", "ContainerDown", "DiskFilling", "TargetDown"];

    internal sealed record Planned(long Seq, string Kind, string Host, string StreamKey, long Version, DateTimeOffset At, int Salt);

    public static IReadOnlyList<string> HostNames(int hosts) =>
        Enumerable.Range(1, hosts).Select(i => string.Create(CultureInfo.InvariantCulture, $"bench-{i:00}")).ToArray();

    /// <summary>
    /// What to write, in sequence order, without payloads: kinds by share (86% snapshots, 6% config
    /// edits, 5% validations, 1% deploys, 2% alerts), deploys and alerts as pairs. Deterministic.
    /// </summary>
    internal static IEnumerable<Planned> Plan(long events, IReadOnlyList<string> hosts, DateTimeOffset from, DateTimeOffset end, long firstSeq)
    {
        var random = new Random(20261127);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var step = (end - from).Ticks / events;
        (string Kind, string Host, string Key)? pending = null;
        for (long i = 0; i < events; i++)
        {
            var at = new DateTimeOffset(from.Ticks + (i * step), TimeSpan.Zero);
            string kind, host, key;
            var salt = random.Next();
            if (pending is { } second)
            {
                (kind, host, key) = second;
                pending = null;
            }
            else
            {
                host = hosts[random.Next(hosts.Count)];
                var roll = random.Next(100);
                (kind, key) = roll switch
                {
                    < 30 => ("gpu", StreamKeys.Snapshots(host, "gpu")),
                    < 60 => ("containers", StreamKeys.Snapshots(host, "containers")),
                    < 73 => ("storage", StreamKeys.Snapshots(host, "storage")),
                    < 86 => ("system", StreamKeys.Snapshots(host, "system")),
                    < 92 => ("edit", StreamKeys.Commit(host, "/etc/nixos", Sha(i))),
                    < 97 => ("validation", StreamKeys.Validations(host)),
                    < 98 => ("deploy", StreamKeys.Deploy(host, Id(i))),
                    _ => ("alert", StreamKeys.AlertOccurrence(host, Id(i)[..16], at, "firing")),
                };
                if (i + 1 < events && kind is "deploy")
                {
                    pending = ("deployed", host, key);
                }
                else if (i + 1 < events && kind is "alert")
                {
                    pending = ("resolved", host, key + ":resolved");
                }
            }

            var version = versions[key] = versions.GetValueOrDefault(key) + 1;
            yield return new Planned(firstSeq + i, kind, host, key, version, at, salt);
        }
    }

    internal static ILedgerEvent Build(Planned p)
    {
        var r = new Random(p.Salt);
        const string actor = "ledger-bench";
        switch (p.Kind)
        {
            case "gpu":
                var util = r.Next(0, 100);
                return new GpuSnapshotTaken(p.Host, actor, "nvml",
                [
                    new GpuReading(0, "NVIDIA GeForce RTX 3060", "GPU-5f1e8a2c-bench", util, util / 2.0, 1800 + r.Next(0, 6000), 12288, 40 + r.Next(0, 45), 30 + r.Next(0, 140), r.Next(0, 60), r.Next(0, 60),
                        util > 20 ? [new GpuProcess(4242, "/usr/lib/jellyfin-ffmpeg/ffmpeg", 900)] : []),
                ]);
            case "containers":
                return new ContainerSnapshotTaken(p.Host, actor, "podman", Containers.Select((n, k) => new ContainerState(
                    Id(p.Seq + k)[..12], n, $"ghcr.io/linuxserver/{n}:latest", r.Next(200) == 0 ? "exited" : "running", r.Next(50) == 0 ? "unhealthy" : "healthy",
                    r.Next(3) == 0 ? 1 : 0, p.At.AddDays(-3), [$"{8000 + k}:{8000 + k}/tcp"])).ToArray());
            case "storage":
                return new StorageSnapshotTaken(p.Host, actor,
                [
                    new MountUsage("/", "system", 500L << 30, (200L << 30) + r.Next(0, 1 << 30), 300L << 30),
                    new MountUsage("/srv/media", "media", 16L << 40, (10L << 40) + r.Next(), 6L << 40),
                ]);
            case "system":
                return new SystemSnapshotTaken(p.Host, actor, "6.6.52", 86_400 + r.Next(0, 9_000_000), r.NextDouble() * 4, r.NextDouble() * 3, r.NextDouble() * 2,
                    64L << 30, (20L << 30) + r.Next(), 412, "24.05.20240920.abcdef");
            case "edit":
                var purpose = Purposes[r.Next(Purposes.Length)];
                var file = $"hosts/{p.Host}/{Containers[r.Next(Containers.Length)]}.nix";
                var patch = $"@@ -10,4 +10,5 @@\n   services.{Containers[r.Next(Containers.Length)]} = {{\n-    enable = false;\n+    enable = true;\n+    openFirewall = true;\n   }};\n";
                return new ConfigEdited(p.Host, "alice", "/etc/nixos", Sha(p.Seq), [Sha(p.Seq - 1)], "Alice", "alice@example.org", p.At, purpose + "\n", purpose,
                    [new FileChange(file, null, FileChangeKind.Modified, 2, 1, [new LineRange(10, 15)], false, patch)], 2, 1);
            case "validation":
                var check = Checks[r.Next(Checks.Length)];
                var fail = r.Next(10) == 0;
                return new ValidationRun(p.Host, actor, check, check.Split('-')[0], fail ? ValidationStatus.Fail : ValidationStatus.Pass, r.Next(50, 5000),
                    fail ? "1 problem" : "ok", fail ? [new Finding(check, "target down: node-exporter:9100")] : [], fail ? "error: target down\n" : "ok\n", false, Sha(p.Seq - 7));
            case "deploy":
                return new DeployStarted(p.Host, "alice", p.StreamKey.Split(':')[^1], "/etc/nixos", Sha(p.Seq - 3), "switch", null, "deploy from bench");
            case "deployed":
                var ok = r.Next(20) != 0;
                return new DeployFinished(p.Host, "alice", p.StreamKey.Split(':')[^1], "/etc/nixos", Sha(p.Seq - 4), "switch", ok,
                    ok ? DeployOutcome.Succeeded : DeployOutcome.Failed, ok ? 400 + (int)(p.Seq % 100) : null, r.Next(20_000, 120_000), ok ? 0 : 1, "building the system configuration...\n", ok ? null : "switch failed");
            case "alert":
                var name = AlertName(p.StreamKey.Split(':')[2]);
                return new AlertFired(p.Host, "alertmanager", name, p.StreamKey.Split(':')[2], p.At, "warning",
                    new Dictionary<string, string> { ["alertname"] = name, ["instance"] = p.Host + ":9100" }, new Dictionary<string, string> { ["summary"] = name + " on " + p.Host }, null);
            default:
                // The resolution of the firing just before it: the same alert (by its fingerprint).
                var resolved = AlertName(p.StreamKey.Split(':')[2]);
                return new AlertResolved(p.Host, "alertmanager", resolved, p.StreamKey.Split(':')[2], p.At.AddMinutes(-5), p.At,
                    new Dictionary<string, string> { ["alertname"] = resolved }, new Dictionary<string, string>());
        }
    }

    /// <summary>An alert's name from its fingerprint (hex), so that a firing and its resolution agree.</summary>
    internal static string AlertName(string fingerprint) => Alerts[Convert.ToInt32(fingerprint[..2], 16) % Alerts.Length];

    private static string Sha(long i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))))[..40];

    private static string Id(long i) => Sha(-i - 1)[..32];
}
