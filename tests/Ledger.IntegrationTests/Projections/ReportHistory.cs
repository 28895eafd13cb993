using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.IntegrationTests.Projections;

/// <summary>Events for the monthly report's issue-20 specs: many changes, alerts as Alertmanager sends them, storage readings. March 2026, UTC.</summary>
internal static class ReportHistory
{
    public static DateTimeOffset March(int day, int hour = 12, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary><paramref name="count"/> commits of <paramref name="repo"/> spread over March, written in one batch.</summary>
    public static Task<int> ChangesAsync(LedgerStore store, string host, string repo, int count)
    {
        var step = TimeSpan.FromMinutes(30 * 24 * 60 / (double)count);
        var events = Enumerable.Range(0, count).Select(i =>
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))[..40];
            var at = March(1, 1) + (step * i);
            var message = $"Change number {i} of the month";
            var e = new ConfigEdited(host, "alice", repo, sha, [], "Alice", "alice@example.org", at, message, message,
                [new FileChange($"hosts/{host}/service-{i % 40}.nix", null, FileChangeKind.Modified, 1, 1, [new LineRange(3, 3)], false, "@@ patch @@")], 1, 1);
            return new NewEvent(StreamKeys.Commit(host, repo, sha), e, at);
        });
        return store.StartStreamsAsync(events);
    }

    /// <summary>A firing as the webhook records it: one stream per fingerprint, startsAt and state.</summary>
    public static Task<long> FiredAsync(LedgerStore store, string host, string name, string fingerprint, DateTimeOffset startsAt, string severity = "warning") =>
        store.AppendAsync(new NewEvent(StreamKeys.AlertOccurrence(host, fingerprint, startsAt, "firing"),
            new AlertFired(host, "alertmanager", name, fingerprint, startsAt, severity, new Dictionary<string, string> { ["alertname"] = name, ["severity"] = severity }, new Dictionary<string, string>(), null), startsAt));

    /// <summary>A resolved notification; <paramref name="copy"/> tells repeats apart (Alertmanager re-sends them).</summary>
    public static Task<long> ResolvedAsync(LedgerStore store, string host, string name, string fingerprint, DateTimeOffset startsAt, DateTimeOffset endsAt, int copy = 0) =>
        store.AppendAsync(new NewEvent(StreamKeys.AlertOccurrence(host, fingerprint, startsAt, "resolved") + (copy == 0 ? "" : $":copy{copy}"),
            new AlertResolved(host, "alertmanager", name, fingerprint, startsAt, endsAt, new Dictionary<string, string> { ["alertname"] = name }, new Dictionary<string, string>()), endsAt));

    /// <summary>One storage snapshot: a 500 GiB root and a 16 TiB array.</summary>
    public static Task<long> StorageAsync(LedgerStore store, string host, DateTimeOffset at, long rootUsedGiB = 200, long arrayUsedGiB = 10_240)
    {
        const long GiB = 1L << 30;
        return store.AppendAsync(new NewEvent(StreamKeys.Snapshots(host, "storage"), new StorageSnapshotTaken(host, "ledger",
        [
            new MountUsage("/", "hot", 500 * GiB, rootUsedGiB * GiB, (500 - rootUsedGiB) * GiB),
            new MountUsage("/srv/media", "cold", 16_384 * GiB, arrayUsedGiB * GiB, (16_384 - arrayUsedGiB) * GiB),
        ]), at));
    }
}
