using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>Records one commit as a config edit (what the post-commit hook does); a commit recorded before is left as it is.</summary>
internal static class CommitRecorder
{
    /// <returns>The new event's seq, or null when the commit was already recorded.</returns>
    public static async Task<long?> RecordAsync(LedgerStore store, string repoPath, string sha, string host, string actor, CancellationToken ct)
    {
        using var reader = GitHistoryReader.Open(repoPath);
        return await store.TryStartStreamAsync(Event(reader, sha, host, actor), ct);
    }

    /// <summary>
    /// A commit as the event every path records it as (hook, daemon, import): its stream key, the
    /// redacted <see cref="ConfigEdited"/>, and the commit date as the event's time.
    /// </summary>
    public static NewEvent Event(GitHistoryReader reader, string revision, string host, string actor, string? purpose = null, string? notes = null)
    {
        var edit = reader.Read(revision, host, actor, purpose, notes);
        return new(StreamKeys.Commit(host, reader.RepoKey, edit.Sha), edit, edit.CommittedAt);
    }

    /// <summary>What <see cref="RecordHookAsync"/> did with the commit.</summary>
    public enum HookResult
    {
        Recorded,
        Annotated,
        AlreadyRecorded,
    }

    /// <summary>How <c>record commit</c>'s warning about a commit recorded without part of its content begins (what is missing follows).</summary>
    public static string IncompleteWarning(string sha) => $"warning: {EventCatalogue.ShortSha(sha)} was recorded without part of its content: ";

    /// <summary>What <c>record commit</c> says about <paramref name="result"/>, whichever executable recorded it (<c>ledger</c> or <c>ledger-hook</c>).</summary>
    public static async Task ReportAsync(HookResult result, ConfigEdited edit, long? seq, TextWriter output, TextWriter error, Serilog.ILogger log)
    {
        var shortSha = EventCatalogue.ShortSha(edit.Sha);
        switch (result)
        {
            case HookResult.Recorded:
                log.Information("Recorded commit {Sha} of {Repo}", edit.Sha, edit.Repo);
                await output.WriteLineAsync($"Recorded {shortSha} {edit.Purpose}");
                if (edit.Incomplete is { } missing)
                {
                    await error.WriteLineAsync(IncompleteWarning(edit.Sha) + missing);
                }

                break;
            case HookResult.Annotated:
                await output.WriteLineAsync($"{shortSha} was already recorded as #{seq}; added the purpose/notes as an annotation.");
                break;
            default:
                await output.WriteLineAsync($"{shortSha} is already recorded; nothing added.");
                break;
        }
    }

    /// <summary>
    /// The git hook's path (<c>ledger record commit</c>): one connection and no Marten store (see
    /// <see cref="StreamStarter"/>); the store only when the schema needs creating or a commit
    /// recorded before gets the purpose/notes given now as an annotation.
    /// </summary>
    /// <param name="connect">The connection string, asked for once the commit has been read.</param>
    /// <returns>What happened, the commit's event, and the seq of the commit's event when it was annotated.</returns>
    public static async Task<(HookResult Result, ConfigEdited Edit, long? Seq)> RecordHookAsync(
        Func<CancellationToken, Task<string>> connect, RetryPolicy retry, string repoPath, string revision, string host, string actor, string? purpose, string? notes, CancellationToken ct)
    {
        NewEvent newEvent;
        using (var reader = GitHistoryReader.Open(repoPath))
        {
            newEvent = Event(reader, revision, host, actor, purpose, notes);
        }

        var (key, edit) = (newEvent.StreamKey, (ConfigEdited)newEvent.Event);

        // The commit is read before the database is reached: a bad revision fails without starting it.
        var connectionString = await connect(ct);
        var (outcome, _) = await StreamStarter.TryStartAsync(connectionString, newEvent, retry, ct);
        var annotate = purpose is not null || notes is not null;
        var needsStore = outcome == StreamStarter.Outcome.NeedsStore || (outcome == StreamStarter.Outcome.AlreadyExists && annotate);
        await using var store = needsStore ? await LedgerStore.OpenAsync(connectionString, retry, ct) : null;
        var recorded = outcome switch
        {
            StreamStarter.Outcome.Started => 1,
            StreamStarter.Outcome.AlreadyExists => 0,
            _ => await store!.StartStreamsAsync([newEvent], ct: ct),
        };
        if (recorded == 1)
        {
            return (HookResult.Recorded, edit, null);
        }

        if (!annotate)
        {
            return (HookResult.AlreadyRecorded, edit, null);
        }

        // Already recorded (by an import or the hook): keep what was said now as an annotation.
        var seq = await store!.FirstSeqOfStreamAsync(key, ct);
        await store.AppendAsync(new NewEvent(key, new ChangeAnnotated(host, actor, seq, edit.Sha, purpose, notes, null)), ct);
        return (HookResult.Annotated, edit, seq);
    }
}
