using Ledger.App.Recording;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>The schedule of <see cref="GitWatch"/>: commits made without the hook are recorded all the same.</summary>
internal sealed class GitWatchJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    private readonly GitWatch _watch = new(serve.Store, serve.Settings.Repo, serve.Host, ServeContext.Actor, serve.Log);

    public string Name => "git-watch";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public Task<string?> RunAsync(CancellationToken ct) => _watch.LookAsync(ct);
}
