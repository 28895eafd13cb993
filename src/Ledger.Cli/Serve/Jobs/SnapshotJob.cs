using Ledger.App.Snapshots;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>Records one kind of snapshot (gpu, containers, storage, system), as <c>ledger snapshot KIND</c> does.</summary>
internal sealed class SnapshotJob(string kind, TimeSpan interval, ServeContext serve) : IServeJob
{
    public string Name => $"snapshot-{kind}";

    public TimeSpan Interval => interval;

    public bool RunAtStart => false;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        // Read each time: editing storage.json needs no restart.
        var mounts = StorageConfig.Resolve([], serve.Home);
        var taken = await Snapshotter.TakeAsync(serve.Store, [kind], serve.Host, ServeContext.Actor, serve.Programs, mounts, ct, gpu: serve.Gpu);
        var e = taken.Recorded.Entries.Single();
        return $"#{e.Seq} {e.Title}";
    }
}
