using JasperFx.Events;
using Marten;
using NpgsqlTypes;

namespace Ledger.Store;

// Appending: single events, batches of new streams (an import), and the retry that recognises a commit whose answer was lost.
public sealed partial class LedgerStore
{
    /// <summary>Appends one event to a stream (created if new) and returns its sequence number.</summary>
    /// <remarks>
    /// The event gets its id here, before the first attempt. When an attempt fails without an answer
    /// (the connection dropped around the commit), the next attempt first looks for that id: if the
    /// commit went through, its sequence number is returned and nothing is appended again.
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

                await using var session = _store.Value.LightweightSession();
                var action = session.Events.Append(e.StreamKey, e.Event);
                action.Events[^1].Id = id;
                SetTimestamps(action, e.OccurredAt);
                await SaveAsync(session, ct);
                return action.Events[^1].Sequence;
            },
            ct);
    }

    /// <summary>
    /// Starts one new stream per event, in batches of one transaction each. A stream that already
    /// exists (a fact recorded before) is skipped, not duplicated. Returns how many were recorded.
    /// </summary>
    public Task<int> StartStreamsAsync(IEnumerable<NewEvent> events, int batchSize = 500, IProgress<int>? progress = null, CancellationToken ct = default) =>
        StartStreamsAsync(events.ToAsyncEnumerable(), batchSize, progress, ct);

    /// <inheritdoc cref="StartStreamsAsync(IEnumerable{NewEvent}, int, IProgress{int}?, CancellationToken)"/>
    public async Task<int> StartStreamsAsync(IAsyncEnumerable<NewEvent> events, int batchSize = 500, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        int recorded = 0;
        var batch = new List<NewEvent>(batchSize);
        await using var source = events.GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await source.MoveNextAsync())
                {
                    break;
                }
            }
            catch (Exception) when (batch.Count > 0 && !ct.IsCancellationRequested)
            {
                // The source failed (a damaged commit, say): what it handed over before is recorded.
                recorded += await StartBatchAsync(batch, ct);
                progress?.Report(recorded);
                throw;
            }

            var e = source.Current;
            batch.Add(e);
            if (batch.Count == batchSize)
            {
                recorded += await StartBatchAsync(batch, ct);
                progress?.Report(recorded);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            recorded += await StartBatchAsync(batch, ct);
            progress?.Report(recorded);
        }

        return recorded;
    }

    /// <summary>Starts a new stream with one event and returns its sequence number, or null when the stream already exists.</summary>
    public async Task<long?> TryStartStreamAsync(NewEvent e, CancellationToken ct = default)
    {
        if (await StartBatchAsync([e], ct) == 0)
        {
            return null;
        }

        return await FirstSeqOfStreamAsync(e.StreamKey, ct);
    }

    private Task<int> StartBatchAsync(List<NewEvent> batch, CancellationToken ct) =>
        StartBatchAsync(batch, batch.Select(_ => Guid.CreateVersion7()).ToArray(), ct);

    /// <summary>
    /// One transaction starting one stream per event, retried on transient errors. The events' ids
    /// are fixed before the first attempt: a retry after a commit whose answer was lost finds them
    /// stored and counts them as recorded (by this process) instead of colliding with itself.
    /// </summary>
    private Task<int> StartBatchAsync(List<NewEvent> batch, Guid[] ids, CancellationToken ct) =>
        RetryAsync(
            batch.Count == 1 ? "appending an event" : $"appending {batch.Count} events",
            async attempt =>
            {
                if (attempt > 1 && await CountCommittedAsync(batch, ids, ct) is > 0 and var committed)
                {
                    // The batch is one transaction: either all of it is stored or none.
                    return committed;
                }

                try
                {
                    await InsertNewStreamsAsync(batch, ids, ct);
                    return batch.Count;
                }
                catch (Exception ex) when (IsStreamCollision(ex) && batch.Count > 1)
                {
                    // Someone recorded some of these meanwhile (a hook racing an import): fall back to one by one.
                    int recorded = 0;
                    for (int i = 0; i < batch.Count; i++)
                    {
                        recorded += await StartBatchAsync([batch[i]], [ids[i]], ct);
                    }

                    return recorded;
                }
                catch (Exception ex) when (IsStreamCollision(ex))
                {
                    return 0;
                }
            },
            ct);

    /// <summary>
    /// Starts one stream per event in one statement: the rows Marten's StartStream writes (a
    /// stream at version 1, its event with the catalogue alias, the CLR type name and the JSON of
    /// <see cref="EventJson"/>), without 500 calls of its append function per batch. A stream that
    /// exists already makes the whole statement fail with a unique violation (nothing written).
    /// </summary>
    private async Task InsertNewStreamsAsync(List<NewEvent> batch, Guid[] ids, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        await using var conn = await OpenConnectionAsync(_dataSource, ct);

        // One statement is atomic by itself; the explicit transaction makes its end a COMMIT like
        // every other append's, whose lost answer the retry recognises (AmbiguousCommitSpecs).
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"""
            with streams as (
              insert into {s}.mt_streams (id, version, timestamp, created, tenant_id)
              select k, 1, now(), now(), '*DEFAULT*' from unnest(@keys) k
            )
            insert into {s}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
            select nextval('{s}.mt_events_sequence'), x.id, x.key, 1, x.data::jsonb, x.type, coalesce(x.at, now()), '*DEFAULT*', x.dotnet, false
            from (select * from unnest(@ids, @keys, @datas, @types, @ats, @dotnets) with ordinality as u(id, key, data, type, at, dotnet, n) order by n) x
            """,
            conn,
            tx);
        cmd.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = batch.Select(e => e.StreamKey).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
        cmd.Parameters.Add(new NpgsqlParameter("datas", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = batch.Select(e => e.Json).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = batch.Select(e => EventCatalogue.Describe(e.Event.GetType()).Alias).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Select(e => e.OccurredAt?.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("dotnets", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = batch.Select(e => DotnetTypeName(e.Event.GetType())).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The CLR type name Marten stores in <c>mt_dotnet_type</c>.</summary>
    public static string DotnetTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    /// <summary>How many of these events (by id) are stored.</summary>
    private async Task<int> CountCommittedAsync(List<NewEvent> batch, Guid[] ids, CancellationToken ct)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        // stream_id leads the (stream_id, version) index, so this does not scan the events.
        await using var cmd = new NpgsqlCommand($"select count(*) from {MartenConfig.Schema}.mt_events where stream_id = any($1) and id = any($2)", conn);
        cmd.Parameters.AddWithValue(batch.Select(e => e.StreamKey).Distinct(StringComparer.Ordinal).ToArray());
        cmd.Parameters.AddWithValue(ids);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

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
