using Ledger.App.Generations;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>The schedule of <see cref="GenerationWatch"/>: switches Ledger did not make are recorded with their package changes.</summary>
internal sealed class GenerationWatchJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    private readonly GenerationWatch _watch = new(serve.Store, serve.Programs, serve.Host, ServeContext.Actor);

    public string Name => "generation-watch";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public async Task<string?> RunAsync(CancellationToken ct) => await _watch.LookAsync(null, ct) is { Recorded: not null } look ? look.Message : null;
}
