using Ledger.App.Spool;
using Ledger.Capture;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Store;
using Ledger.Store.Spool;

namespace Ledger.App.Recording;

/// <summary>
/// A commit the git hook posted to the daemon (<c>POST /record/commit</c>): recorded if it belongs
/// to the repository the daemon follows, with the daemon's warm process and connections. A
/// database that fails throws (<see cref="StoreException"/>); everything else is an answer.
/// </summary>
internal static class PostedCommit
{
    /// <summary>Where the daemon takes posted commits.</summary>
    public const string Route = "/record/commit";

    /// <summary>What became of a posted commit.</summary>
    public enum Outcome
    {
        /// <summary>Recorded now as event <see cref="Answer.Seq"/>.</summary>
        Recorded,

        /// <summary>Recorded before, as event <see cref="Answer.Seq"/>.</summary>
        Known,

        /// <summary>The followed repository cannot be opened (<see cref="Answer.Message"/> says why).</summary>
        RepositoryUnavailable,

        /// <summary>The post names another repository than the followed one.</summary>
        OtherRepository,

        /// <summary>The followed repository has no such commit.</summary>
        NotFound,

        /// <summary>The database cannot be reached: the commit waits in the daemon's spool (<see cref="Answer.Message"/> says so).</summary>
        Spooled,
    }

    /// <summary>The outcome, the followed repository's key, the full sha, the event's seq and the recorded event (when recorded now).</summary>
    public sealed record Answer(Outcome Outcome, string? Repo = null, string? Sha = null, long? Seq = null, ConfigEdited? Edit = null, string? Message = null);

    /// <param name="followed">The repository the daemon follows.</param>
    /// <param name="given">The repository the hook names, in whatever spelling (a trailing slash, a link).</param>
    /// <param name="spool">The daemon's spool: delivered before the commit, and where the commit waits when the database cannot be reached.</param>
    public static async Task<Answer> RecordAsync(LedgerStore store, EventSpool spool, string followed, string given, string sha, string host, string actor, Serilog.ILogger log)
    {
        GitHistoryReader reader;
        try
        {
            // A Repository is not thread-safe and the git watch may be using its own: one per post.
            reader = GitHistoryReader.Open(followed);
        }
        catch (CaptureException e)
        {
            return new Answer(Outcome.RepositoryUnavailable, Message: e.Message);
        }

        using (reader)
        {
            if (!SameRepository(given, reader.RepoKey))
            {
                return new Answer(Outcome.OtherRepository, reader.RepoKey);
            }

            string commit;
            try
            {
                commit = reader.Resolve(sha);
            }
            catch (CaptureException e)
            {
                return new Answer(Outcome.NotFound, reader.RepoKey, Message: e.Message);
            }

            var edit = CommitRecorder.Event(reader, commit, host, actor);

            // The hook waits for this answer: a database that cannot be reached is found by one ping
            // and the commit spooled, rather than found by waiting out the store's retries. Events
            // spooled before go first. Not cancelled by the client: once begun, it finishes.
            string? spoolWhy = null;
            try
            {
                await store.Stats.PingAsync(CancellationToken.None);
            }
            catch (Exception e) when (DatabaseErrors.IsUnreachable(e))
            {
                spoolWhy = CommitRecorder.Unreachable(store.Description, e);
            }

            if (spoolWhy is null && spool.HasPending)
            {
                var delivered = await SpoolDelivery.DeliverAsync(spool, store, SpoolDelivery.HookLockWait, log, CancellationToken.None);
                spoolWhy = delivered.Busy ? "another process is delivering the spool"
                    : delivered.Unreachable ? CommitRecorder.Unreachable(store.Description, delivered.Failure!)
                    : null;
            }

            if (spoolWhy is not null)
            {
                var note = CommitRecorder.Spool(spool, edit, spoolWhy);
                return new Answer(Outcome.Spooled, reader.RepoKey, commit, Edit: (ConfigEdited)edit.Event, Message: CommitRecorder.SpooledMessage(commit, note));
            }

            return await store.TryStartStreamAsync(edit, CancellationToken.None) is { } seq
                ? new Answer(Outcome.Recorded, reader.RepoKey, commit, seq, (ConfigEdited)edit.Event)
                : new Answer(Outcome.Known, reader.RepoKey, commit, await store.FirstSeqOfStreamAsync(edit.StreamKey, CancellationToken.None));
        }
    }

    /// <summary>The same repository whichever way its path is spelled (a trailing slash, a relative path, a link).</summary>
    private static bool SameRepository(string given, string key)
    {
        try
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(given));
            return full == key || ResolveLinks(full) == ResolveLinks(key);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string ResolveLinks(string path) =>
        Directory.Exists(path) && new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : path;
}
