using JasperFx.Events;
using Marten;

namespace Ledger.Store;

// Appending: single events, batches of new streams (an import), and the retry that recognises a commit whose answer was lost.
public sealed partial class LedgerStore
{
    /// <summary>Appends one event to a stream (created if new) and returns its sequence number.</summary>
    /// <remarks>
    /// The event gets its id here, before the first attempt. When an attempt fails without an answer
    /// (the connection dropped around the commit), the next attempt first looks for that id: if the
    /// commit went through, its sequence number is returned and nothing is appended again.
    /// <para>
    /// Two writers appending to one stream at once (two hosts' daemons, a timer and a manual command)
    /// compute the same next version (or both create a new stream); the database refuses the second,
    /// which then appends again after the first (up to <see cref="StreamConflictAttempts"/> times).
    /// </para>
    /// </remarks>
    public Task<long> AppendAsync(NewEvent e, CancellationToken ct = default)
    {
        var id = Guid.CreateVersion7();
        return RetryAsync(
            "appending an event",
            async attempt =>
            {
                if (attempt > 1 && await CommittedSeqAsync(e.StreamKey, id, ct) is { } committed)
                {
                    return committed;
                }

                for (var conflict = 1; ; conflict++)
                {
                    try
                    {
                        await using var session = _store.Value.LightweightSession();
                        var action = session.Events.Append(e.StreamKey, e.Event);
                        action.Events[^1].Id = id;
                        SetTimestamps(action, e.OccurredAt);
                        await SaveAsync(session, ct);
                        return action.Events[^1].Sequence;
                    }
                    catch (Exception x) when ((IsVersionConflict(x) || IsStreamCollision(x)) && conflict < StreamConflictAttempts)
                    {
                        await Task.Delay(Random.Shared.Next(1, 10 * conflict), ct);
                    }
                }
            },
            ct);
    }

    /// <summary>How often an append that lost a race for its stream's next version tries again.</summary>
    private const int StreamConflictAttempts = 20;

    // Marten (through JasperFx) reports a lost race for a stream's next version as an unexpected version.
    private static bool IsVersionConflict(Exception e) =>
        e is JasperFx.Events.EventStreamUnexpectedMaxEventIdException;

    /// <inheritdoc cref="EventAppender.StartStreamsAsync(IEnumerable{NewEvent}, int, IProgress{int}?, CancellationToken)"/>
    public Task<int> StartStreamsAsync(IEnumerable<NewEvent> events, int batchSize = 500, IProgress<int>? progress = null, CancellationToken ct = default) =>
        Appender.StartStreamsAsync(events, batchSize, progress, ct);

    /// <inheritdoc cref="EventAppender.StartStreamsAsync(IEnumerable{NewEvent}, int, IProgress{int}?, CancellationToken)"/>
    public Task<int> StartStreamsAsync(IAsyncEnumerable<NewEvent> events, int batchSize = 500, IProgress<int>? progress = null, CancellationToken ct = default) =>
        Appender.StartStreamsAsync(events, batchSize, progress, ct);

    /// <summary>Starts a new stream with one event and returns its sequence number, or null when the stream already exists.</summary>
    public async Task<long?> TryStartStreamAsync(NewEvent e, CancellationToken ct = default)
    {
        if (await Appender.StartStreamsAsync([e], ct: ct) == 0)
        {
            return null;
        }

        return await FirstSeqOfStreamAsync(e.StreamKey, ct);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> DotnetTypeNames = new();

    /// <summary>The CLR type name Marten stores in <c>mt_dotnet_type</c> (made once per type: an import asks once per event).</summary>
    public static string DotnetTypeName(Type type) => DotnetTypeNames.GetOrAdd(type, static t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    /// <summary>The sequence number of the event with this id in this stream, if it is stored.</summary>
    private async Task<long?> CommittedSeqAsync(string streamKey, Guid id, CancellationToken ct)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select seq_id from {MartenConfig.Schema}.mt_events where stream_id = $1 and id = $2", conn);
        cmd.Parameters.AddWithValue(streamKey);
        cmd.Parameters.AddWithValue(id);
        return await cmd.ExecuteScalarAsync(ct) is long seq ? seq : null;
    }

    private static void SetTimestamps(StreamAction action, DateTimeOffset? at)
    {
        if (at is { } when)
        {
            foreach (var e in action.Events)
            {
                e.Timestamp = when;
            }
        }
    }

    private static Task SaveAsync(IDocumentSession session, CancellationToken ct) => session.SaveChangesAsync(ct);

    // Marten and JasperFx each define ExistingStreamIdCollisionException; either can surface.
    private static bool IsStreamCollision(Exception e) =>
        e is JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
        || e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
