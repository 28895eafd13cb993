using Ledger.App.Spool;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Spool;

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
    public static NewEvent Event(GitHistoryReader reader, string revision, string host, string actor, string? purpose = null, string? notes = null) =>
        Event(reader.Read(revision, host, actor, purpose, notes));

    /// <summary>The event of a commit read (and redacted) by <see cref="GitHistoryReader"/>.</summary>
    public static NewEvent Event(ConfigEdited edit) => new(StreamKeys.Commit(edit.Host, edit.Repo, edit.Sha), edit, edit.CommittedAt);

    /// <summary>What <see cref="RecordHookAsync"/> did with the commit.</summary>
    public enum HookResult
    {
        Recorded,
        Annotated,
        AlreadyRecorded,

        /// <summary>The database could not be reached: the commit waits in the spool (<see cref="Recording.Spooled"/>).</summary>
        Spooled,
    }

    /// <summary>What <c>record commit</c> did: the result, the commit's event, its seq when annotated, the spool delivered first, and where the commit was spooled.</summary>
    public sealed record Recording(HookResult Result, ConfigEdited Edit, long? Seq = null, DeliveryReport? Delivered = null, SpoolNote? Spooled = null);

    /// <summary>Why a commit was spooled (a whole clause: "the database at X cannot be reached (why)"), and its file.</summary>
    public sealed record SpoolNote(string Why, SpooledFile File, string Folder);

    /// <summary>How <c>record commit</c>'s warning about a commit recorded without part of its content begins (what is missing follows).</summary>
    public static string IncompleteWarning(string sha) => $"warning: {EventCatalogue.ShortSha(sha)} was recorded without part of its content: ";

    /// <summary>What <c>record commit</c> says about <paramref name="r"/>, whichever executable recorded it (<c>ledger</c> or <c>ledger-hook</c>).</summary>
    public static async Task ReportAsync(Recording r, TextWriter output, TextWriter error, Serilog.ILogger log)
    {
        var (edit, shortSha) = (r.Edit, EventCatalogue.ShortSha(r.Edit.Sha));
        if (r.Delivered is { } d)
        {
            if (d.Delivered + d.AlreadyStored > 0)
            {
                await output.WriteLineAsync($"Delivered {Plural.Of(d.Delivered, "spooled event")} first" + (d.AlreadyStored > 0 ? $" ({d.AlreadyStored} more were stored already)." : "."));
            }

            foreach (var rejected in d.Rejected)
            {
                await error.WriteLineAsync($"ledger: a spool file cannot be read back and was moved to {rejected.File}: {rejected.Reason}");
            }

            if (d.Failure is not null && !d.Unreachable)
            {
                await error.WriteLineAsync("ledger: " + d.Problem(Path.GetDirectoryName(d.FailedFile) ?? "", ""));
            }
        }

        switch (r.Result)
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
                await output.WriteLineAsync($"{shortSha} was already recorded as #{r.Seq}; added the purpose/notes as an annotation.");
                break;
            case HookResult.Spooled when r.Spooled is { } s:
                log.Warning("Spooled commit {Sha} of {Repo} in {File}: {Why}", edit.Sha, edit.Repo, s.File.File, s.Why);
                await error.WriteLineAsync("ledger: " + SpooledMessage(edit.Sha, s));
                break;
            default:
                await output.WriteLineAsync($"{shortSha} is already recorded; nothing added.");
                break;
        }
    }

    /// <summary>
    /// The git hook's path (<c>ledger record commit</c>): one connection and no Marten store (see
    /// <see cref="StreamStarter"/>); the store only when the schema needs creating or a commit
    /// recorded before gets the purpose/notes given now as an annotation. Events waiting in the
    /// spool are delivered first, so that sequence numbers keep the order commits were made in;
    /// a database that cannot be reached puts the commit in the spool instead of failing (the
    /// commit was read before, so nothing of it is lost), without waiting out retries.
    /// </summary>
    /// <param name="connect">The connection string, asked for once the commit has been read.</param>
    public static async Task<Recording> RecordHookAsync(
        Func<CancellationToken, Task<string>> connect, RetryPolicy retry, EventSpool spool, string repoPath, string revision, string host, string actor, string? purpose, string? notes, Serilog.ILogger log, CancellationToken ct)
    {
        NewEvent newEvent;
        using (var reader = GitHistoryReader.Open(repoPath))
        {
            newEvent = Event(reader, revision, host, actor, purpose, notes);
        }

        var (key, edit) = (newEvent.StreamKey, (ConfigEdited)newEvent.Event);

        // The commit is read before the database is reached: a bad revision fails without starting it.
        var connectionString = await connect(ct);
        retry = retry with { WaitsForUnreachable = false };
        DeliveryReport? delivered = null;
        if (spool.HasPending)
        {
            delivered = await SpoolDelivery.DeliverAsync(spool, (e, c) => StartStreamAsync(connectionString, e, retry, c), SpoolDelivery.HookLockWait, log, ct);
            if (delivered.Busy)
            {
                return new Recording(HookResult.Spooled, edit, null, delivered, Spool(spool, newEvent, "another process is delivering the spool"));
            }

            if (delivered.Unreachable)
            {
                return new Recording(HookResult.Spooled, edit, null, delivered, Spool(spool, newEvent, Unreachable(ConnectionStrings.Describe(connectionString), delivered.Failure!)));
            }

            // Anything else stopped at a spooled event stays with it ('ledger sync' says more); this commit is tried on its own.
        }

        bool started;
        try
        {
            started = await StartStreamAsync(connectionString, newEvent, retry, ct);
        }
        catch (Exception e) when (DatabaseErrors.IsUnreachable(e))
        {
            return new Recording(HookResult.Spooled, edit, null, delivered, Spool(spool, newEvent, Unreachable(ConnectionStrings.Describe(connectionString), e)));
        }

        if (started)
        {
            return new Recording(HookResult.Recorded, edit, null, delivered);
        }

        if (purpose is null && notes is null)
        {
            return new Recording(HookResult.AlreadyRecorded, edit, null, delivered);
        }

        // Already recorded (by an import or the hook): keep what was said now as an annotation.
        await using var store = await LedgerStore.OpenAsync(connectionString, retry, ct);
        var seq = await store.FirstSeqOfStreamAsync(key, ct);
        await store.AppendAsync(new NewEvent(key, new ChangeAnnotated(host, actor, seq, edit.Sha, purpose, notes, null)), ct);
        return new Recording(HookResult.Annotated, edit, seq, delivered);
    }

    /// <summary>What is said of a spooled commit: why, where it waits, and what delivers it.</summary>
    public static string SpooledMessage(string sha, SpoolNote s) =>
        $"{s.Why}; commit {EventCatalogue.ShortSha(sha)} is kept in the spool ({s.Folder}, {Plural.Of(s.File.Events, "event")}) and will be delivered by 'ledger sync' or the daemon";

    /// <summary>"the database at X cannot be reached (why)": the clause the spool's messages begin with.</summary>
    /// <param name="database">Where the database is (<see cref="ConnectionStrings.Describe"/>, <see cref="LedgerStore.Description"/>).</param>
    public static string Unreachable(string database, Exception e) =>
        $"the database at {database} cannot be reached ({DatabaseErrors.DescribeUnreachable(e)})";

    /// <summary>
    /// Keeps <paramref name="e"/> in the spool, or says why it cannot (the spool's folder cannot be
    /// written: the commit is then not recorded, and the message says so and what to do).
    /// </summary>
    public static SpoolNote Spool(EventSpool spool, NewEvent e, string why)
    {
        try
        {
            return new SpoolNote(why, spool.Add(e, why, DateTimeOffset.UtcNow), spool.Folder);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(
                $"{char.ToUpperInvariant(why[0])}{why[1..]}, and the spool {spool.Folder} cannot be written ({x.Message}): {e.StreamKey} is not recorded. " +
                "Make LEDGER_HOME writable, then run 'ledger import-git' to catch up.",
                inner: x);
        }
    }

    /// <summary>Starts <paramref name="e"/>'s stream the hook's way (one connection), or through the store when the schema needs creating; false when the stream existed.</summary>
    private static async Task<bool> StartStreamAsync(string connectionString, NewEvent e, RetryPolicy retry, CancellationToken ct)
    {
        var (outcome, _) = await StreamStarter.TryStartAsync(connectionString, e, retry, ct);
        if (outcome != StreamStarter.Outcome.NeedsStore)
        {
            return outcome == StreamStarter.Outcome.Started;
        }

        await using var store = await LedgerStore.OpenAsync(connectionString, retry, ct);
        return await store.StartStreamsAsync([e], ct: ct) == 1;
    }
}
