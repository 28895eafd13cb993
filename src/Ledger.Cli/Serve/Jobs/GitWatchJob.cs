using Ledger.App.Recording;
using Ledger.Capture.Git;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>
/// Follows the configuration repository: when HEAD moved since the last look (a commit made
/// without the hook, a pull, a checkout), records the commits not recorded yet through the same
/// import as <c>ledger import-git</c>. Looking costs one read of HEAD; importing only happens on a move.
/// </summary>
internal sealed class GitWatchJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    private string? _seenHead;

    public string Name => "git-watch";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        // A Repository is not thread-safe and the repository may be replaced on disk: open it each time.
        using var reader = GitHistoryReader.Open(serve.Settings.Repo);
        var head = reader.Head;
        if (head is null || head == _seenHead)
        {
            return null;
        }

        var result = await GitImport.RunAsync(serve.Store, reader, serve.Host, ServeContext.Actor, null, ct);
        _seenHead = head;
        foreach (var (sha, reason) in result.Incomplete)
        {
            serve.Log.Warning("Commit {Sha} of {Repo} was recorded without part of its content: {Reason}", sha, result.Repo, reason);
        }

        return result.Recorded == 0 ? null : $"HEAD of {result.Repo} is {head[..12]}: {result.Recorded} new commits recorded";
    }
}
