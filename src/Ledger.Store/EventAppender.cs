using NpgsqlTypes;

namespace Ledger.Store;

/// <summary>
/// Starts new streams in batches (an import, a set of alert facts) and reads which streams exist:
/// plain SQL over one data source, no Marten. <see cref="LedgerStore"/> appends through one over
/// its own data source; a process compiled ahead of time (<c>ledger-hook import-git</c>) opens one
/// by itself with <see cref="TryOpenAsync"/>, without Marten's store and its set-up. The rows are
/// those Marten's StartStream writes (a stream at version 1, its event with the catalogue alias,
/// the CLR type name and the JSON of <see cref="EventJson"/>).
/// </summary>
public sealed class EventAppender : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RetryPolicy _retry;
    private readonly bool _ownsDataSource;

    internal EventAppender(NpgsqlDataSource dataSource, RetryPolicy retry, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _retry = retry;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>
    /// An appender of its own, or null when the schema is missing or of another version (open a
    /// <see cref="LedgerStore"/> instead, which creates or upgrades it). Waits, as the store does,
    /// only for a server that is starting up or shutting down.
    /// </summary>
    public static async Task<EventAppender?> TryOpenAsync(string connectionString, RetryPolicy retry, CancellationToken ct = default)
    {
        // The slim builder maps only what appends need (varchar, uuid, text, timestamptz, their
        // arrays), so a process compiled ahead of time carries no reflection-based mapping.
        var builder = new NpgsqlSlimDataSourceBuilder(ConnectionStrings.WithDefaults(connectionString));

        // Every type here is built in (varchar, uuid, text, timestamptz and their arrays; text,
        // integers): no round trip to load the server's type catalogue, 10-15 ms of every import
        // (as for StreamStarter's single append).
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        builder.EnableArrays();

        // TLS for a central server (SSL Mode=VerifyFull and the like, docs/operations.md "Fleet").
        builder.EnableTransportSecurity();
        var dataSource = builder.Build();
        try
        {
            var version = await retry.RunAsync(
                "opening the database",
                async _ =>
                {
                    await using var conn = await LedgerStore.OpenConnectionAsync(dataSource, ct);
                    return await LedgerStore.ReadSchemaVersionAsync(conn, ct);
                },
                DatabaseErrors.IsServerStartingOrStopping,
                () =>
                {
                    dataSource.Clear();
                    return Task.CompletedTask;
                },
                ct);
            if (version == MartenConfig.SchemaVersion)
            {
                return new EventAppender(dataSource, retry, ownsDataSource: true);
            }
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }

        await dataSource.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>The stream keys that start with <paramref name="prefix"/>.</summary>
    public Task<HashSet<string>> StreamKeysAsync(string prefix, CancellationToken ct = default) =>
        RetryAsync("reading stream keys", async _ =>
        {
            await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select id from {MartenConfig.Schema}.mt_streams where id like $1 escape '\\'", conn);
            cmd.Parameters.AddWithValue(LedgerStore.EscapeLike(prefix) + "%");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        }, ct);

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

            batch.Add(source.Current);
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
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && batch.Count > 1)
                {
                    // Someone recorded some of these meanwhile (a hook racing an import): fall back to one by one.
                    int recorded = 0;
                    for (int i = 0; i < batch.Count; i++)
                    {
                        recorded += await StartBatchAsync([batch[i]], [ids[i]], ct);
                    }

                    return recorded;
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    return 0;
                }
            },
            ct);

    /// <summary>
    /// Starts one stream per event in one statement, without one call of Marten's append function
    /// per event. A stream that exists already makes the whole statement fail with a unique
    /// violation (nothing written).
    /// </summary>
    private async Task InsertNewStreamsAsync(List<NewEvent> batch, Guid[] ids, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);

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
            select nextval('{s}.mt_events_sequence'), x.id, x.key, 1, convert_from(x.data, 'UTF8')::jsonb, x.type, coalesce(x.at, now()), '*DEFAULT*', x.dotnet, false
            from (select * from unnest(@ids, @keys, @datas, @types, @ats, @dotnets) with ordinality as u(id, key, data, type, at, dotnet, n) order by n) x
            """,
            conn,
            tx);
        cmd.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = batch.Select(e => e.StreamKey).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
        // The JSON goes as the UTF-8 the serialiser wrote (NewEvent.Utf8Json); convert_from checks it
        // as PostgreSQL checks text sent as UTF-8, and jsonb reads the same characters.
        cmd.Parameters.Add(new NpgsqlParameter("datas", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(e => e.Utf8Json).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = batch.Select(e => EventCatalogue.Describe(e.Event.GetType()).Alias).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Select(e => e.OccurredAt?.ToUniversalTime()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("dotnets", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = batch.Select(e => LedgerStore.DotnetTypeName(e.Event.GetType())).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>How many of these events (by id) are stored.</summary>
    private async Task<int> CountCommittedAsync(List<NewEvent> batch, Guid[] ids, CancellationToken ct)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        // stream_id leads the (stream_id, version) index, so this does not scan the events.
        await using var cmd = new NpgsqlCommand($"select count(*) from {MartenConfig.Schema}.mt_events where stream_id = any($1) and id = any($2)", conn);
        cmd.Parameters.AddWithValue(batch.Select(e => e.StreamKey).Distinct(StringComparer.Ordinal).ToArray());
        cmd.Parameters.AddWithValue(ids);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private Task<T> RetryAsync<T>(string what, Func<int, Task<T>> operation, CancellationToken ct) =>
        _retry.RunAsync(what, _dataSource, operation, ct);
}
