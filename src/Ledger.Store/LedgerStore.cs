using System.Text;
using System.Text.Json;
using JasperFx.Events;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store.Chain;
using Ledger.Store.Projections;
using Marten;
using Marten.Services;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Store;

/// <summary>
/// Ledger's append and query API over Marten. Appends go through Marten sessions; the timeline
/// reads <c>mt_events</c> directly with keyset paging so that a page never scans the whole table.
/// </summary>
public sealed class LedgerStore : IAsyncDisposable
{
    private const long SchemaLockKey = 0x4C45444745520001; // "LEDGER" + 1

    /// <summary>The stored types of snapshots, which free-text search leaves out unless asked for.</summary>
    public static readonly IReadOnlySet<string> SnapshotTypes = EventCatalogue.All.Where(d => d.Kind.EndsWith("-snapshot", StringComparison.Ordinal)).Select(d => d.Alias).ToHashSet(StringComparer.Ordinal);

    // Literal, in the same order in the index predicate and in queries, so that the planner can match them.
    public static readonly string SnapshotTypesSql = string.Join(", ", SnapshotTypes.Order(StringComparer.Ordinal).Select(t => $"'{t}'"));

    /// <summary>
    /// The condition the timeline (and so the TUI and searches) puts on every event it reads.
    /// <c>ledger verify</c> fails on any event that does not meet it: hidden is as good as deleted.
    /// </summary>
    internal const string VisibleSql = "is_archived = false";

    private readonly Lazy<DocumentStore> _store;
    private readonly NpgsqlDataSource _dataSource;
    private readonly RetryPolicy _retry;

    private LedgerStore(Lazy<DocumentStore> store, NpgsqlDataSource dataSource, RetryPolicy retry, string description)
    {
        _store = store;
        _dataSource = dataSource;
        _retry = retry;
        Description = description;
        Chain = new LedgerChain(dataSource);
    }

    /// <summary>Where the events live, for headers and messages (no password).</summary>
    public string Description { get; }

    /// <summary>The change records (read model of the change docs), built in the database.</summary>
    public ChangeRecords Changes => new(_dataSource);

    /// <summary>Per-host statistics of a period (read model of the monthly report), aggregated in the database.</summary>
    public MonthlyStats Monthly => new(_dataSource, _retry);

    /// <summary>The hash chain over the events: seal, verify, head.</summary>
    public LedgerChain Chain { get; }

    /// <summary>Aggregate reads for the daemon's metrics and health check.</summary>
    public LedgerStats Stats => new(_dataSource);

    /// <summary>
    /// Opens the store, creating the schema on first use. Later opens check one row and skip
    /// Marten's schema comparison, which keeps short-lived processes (git hooks) fast.
    /// </summary>
    public static Task<LedgerStore> OpenAsync(string connectionString, CancellationToken ct = default) =>
        OpenAsync(connectionString, RetryPolicy.None, ct);

    /// <summary>
    /// Opens the store with a retry policy for transient database errors. Opening itself waits only
    /// for a server that is starting up or shutting down: a database that cannot be reached at all
    /// is a configuration problem and is reported at once.
    /// </summary>
    public static async Task<LedgerStore> OpenAsync(string connectionString, RetryPolicy retry, CancellationToken ct = default)
    {
        connectionString = ConnectionStrings.WithDefaults(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await retry.RunAsync(
                "opening the database",
                async _ =>
                {
                    await using var conn = await OpenConnectionAsync(dataSource, ct);
                    if (await ReadSchemaVersionAsync(conn, ct) != MartenConfig.SchemaVersion)
                    {
                        await CreateSchemaAsync(conn, connectionString, ct);
                    }

                    return true;
                },
                DatabaseErrors.IsServerStartingOrStopping,
                () =>
                {
                    dataSource.Clear();
                    return Task.CompletedTask;
                },
                ct);

            // Marten shares this data source, so that one Clear() after a lost connection drops every dead pooled connection.
            // Its store costs hundreds of milliseconds to build; reads (timeline, TUI, docs, report)
            // go straight to the data source and never need it, so it is built on first append.
            var store = new Lazy<DocumentStore>(() => MartenConfig.Create(dataSource, manageSchema: false));
            return new LedgerStore(store, dataSource, retry, Describe(connectionString));
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store.IsValueCreated)
        {
            _store.Value.Dispose();
        }
        await _dataSource.DisposeAsync();
    }

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

    /// <summary>The stream keys that start with <paramref name="prefix"/>.</summary>
    public Task<HashSet<string>> StreamKeysAsync(string prefix, CancellationToken ct = default) =>
        RetryAsync("reading stream keys", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select id from {MartenConfig.Schema}.mt_streams where id like $1 escape '\\'", conn);
            cmd.Parameters.AddWithValue(EscapeLike(prefix) + "%");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        }, ct);

    /// <summary>Whether a stream exists.</summary>
    public Task<bool> StreamExistsAsync(string key, CancellationToken ct = default) =>
        RetryAsync("looking up a stream", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select 1 from {MartenConfig.Schema}.mt_streams where id = $1", conn);
            cmd.Parameters.AddWithValue(key);
            return await cmd.ExecuteScalarAsync(ct) is not null;
        }, ct);

    /// <summary>The sequence number of a stream's first event, or throws when the stream does not exist.</summary>
    public Task<long> FirstSeqOfStreamAsync(string key, CancellationToken ct = default) =>
        RetryAsync("looking up a stream", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select min(seq_id) from {MartenConfig.Schema}.mt_events where stream_id = $1", conn);
            cmd.Parameters.AddWithValue(key);
            return await cmd.ExecuteScalarAsync(ct) is long seq
                ? seq
                : throw new StoreException($"No events are recorded under '{key}'.");
        }, ct);

    /// <summary>One page of the timeline, newest first.</summary>
    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(TimelineQuery query, CancellationToken ct = default) =>
        RetryAsync<IReadOnlyList<TimelineEntry>>("reading the timeline", async () =>
        {
            if (string.IsNullOrEmpty(query.Grep) || query.AfterSeq is not null || query.FromOldest || query.Limit is not { } limit)
            {
                return await PageAsync(query, null, ct);
            }

            await CatchUpTextIndexIfBehindAsync(ct);

            // Free text, newest first: the planner takes the trigram index, fetches every match
            // and sorts them, which for a common word is tens of thousands of payloads. The newest
            // window is read by walking the primary key instead (it stops at a page of matches);
            // only when that window holds too few does the rest go to the planner (and the index).
            var top = query.BeforeSeq ?? (await Stats.MaxSeqAsync(ct) + 1);
            if (top <= 2 * TextSearchWindow)
            {
                // The window would be most of what there is, and so would hold few enough matches
                // that the index is the better way through it (3 ms against 23 ms at 20,000 events).
                return await PageAsync(query, null, ct);
            }

            var floor = top - TextSearchWindow;

            var recent = await PageAsync(query with { BeforeSeq = top }, floor, ct);
            if (recent.Count >= limit)
            {
                return recent;
            }

            var older = await PageAsync(query with { BeforeSeq = floor + 1, Limit = limit - recent.Count }, null, ct);
            return [.. recent, .. older];
        }, ct);

    /// <summary>How many of the newest events a free-text page reads by sequence number before it asks the index.</summary>
    internal long TextSearchWindow { get; set; } = 20_000;

    /// <summary>A search that finds more events than this waiting for the text index indexes them first.</summary>
    internal long TextIndexLazyThreshold { get; set; } = 5_000;

    /// <summary>When a search may next try to catch the text index up (Environment.TickCount64).</summary>
    private long _nextLazyCatchUp;

    /// <summary>How long catching up waits for running transactions before it stops at a hole in the sequence numbers.</summary>
    private static readonly TimeSpan TextIndexSettle = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Copies the events recorded since the last time into the free-text index (the daemon does
    /// this every minute; appends never wait for it). Returns how many events were indexed.
    /// </summary>
    public Task<int> CatchUpTextIndexAsync(CancellationToken ct = default) =>
        RetryAsync("indexing events for text search", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            return await TextIndex.CatchUpAsync(conn, TextIndexSettle, ct);
        }, ct);

    /// <summary>How many non-snapshot events wait for the free-text index (searches read them directly meanwhile).</summary>
    public Task<long> TextIndexBacklogAsync(CancellationToken ct = default) =>
        RetryAsync("reading the text index's state", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            return await TextIndex.BacklogAsync(conn, long.MaxValue, ct);
        }, ct);

    /// <summary>
    /// Without a daemon nothing else indexes: a search that would read many events directly
    /// indexes them first, once. A role that may only read searches without indexing.
    /// </summary>
    private async Task CatchUpTextIndexIfBehindAsync(CancellationToken ct)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _nextLazyCatchUp))
        {
            return;
        }

        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        if (await TextIndex.BacklogAsync(conn, TextIndexLazyThreshold + 1, ct) <= TextIndexLazyThreshold)
        {
            return;
        }

        try
        {
            await TextIndex.CatchUpAsync(conn, TextIndexSettle, ct);
            if (await TextIndex.BacklogAsync(conn, TextIndexLazyThreshold + 1, ct) > TextIndexLazyThreshold)
            {
                // Held at a hole by a transaction that did not end: do not make every search wait for it.
                Interlocked.Exchange(ref _nextLazyCatchUp, Environment.TickCount64 + 60_000);
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ReadOnlySqlTransaction)
        {
            // Searched directly instead; the daemon or a writer's search will index them.
            Interlocked.Exchange(ref _nextLazyCatchUp, long.MaxValue);
        }
    }

    /// <summary>One query of the timeline; <paramref name="floor"/> (exclusive) bounds it below by sequence number.</summary>
    private async Task<IReadOnlyList<TimelineEntry>> PageAsync(TimelineQuery query, long? floor, CancellationToken ct)
    {
        var sql = new StringBuilder($"select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events where {VisibleSql}");
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand { Connection = conn };

        if (floor is { } f)
        {
            sql.Append(" and seq_id > @floor");
            cmd.Parameters.AddWithValue("floor", f);
        }

        if (query.BeforeSeq is { } before)
        {
            sql.Append(" and seq_id < @before");
            cmd.Parameters.AddWithValue("before", before);
        }

        if (query.AfterSeq is { } after)
        {
            sql.Append(" and seq_id > @after");
            cmd.Parameters.AddWithValue("after", after);
        }

        if (query.Host is { } host)
        {
            sql.Append(" and data->>'host' = @host");
            cmd.Parameters.AddWithValue("host", host);
        }

        if (query.Kinds.Count > 0)
        {
            var aliases = query.Kinds.SelectMany(EventCatalogue.AliasesOfKind).Distinct().ToArray();
            sql.Append(" and type = any(@types)");
            cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = aliases });
        }

        if (query.Since is { } since)
        {
            sql.Append(" and timestamp >= @since");
            cmd.Parameters.AddWithValue("since", since.ToUniversalTime());
        }

        if (query.Until is { } until)
        {
            sql.Append(" and timestamp <= @until");
            cmd.Parameters.AddWithValue("until", until.ToUniversalTime());
        }

        if (!string.IsNullOrEmpty(query.Grep))
        {
            // Case-insensitive literal substring of the text the event shows (message, purpose,
            // paths, patch lines: its payload's strings and numbers, unescaped; TextIndex.BodyFormat).
            // Snapshots (nine in ten events, and every container snapshot names every container)
            // are searched only when a snapshot kind is asked for; the rest has a trigram index.
            var searchesSnapshots = query.Kinds.Any(k => EventCatalogue.AliasesOfKind(k).Any(SnapshotTypes.Contains));
            if (!searchesSnapshots)
            {
                sql.Append($" and type not in ({SnapshotTypesSql})");
            }

            // The recent window walks the primary key and tests each event, its indexed text looked
            // up by key (the planner, which underestimates common words, would fetch every match
            // through the trigram index: 110 ms for a page at 1M events against 10 ms); snapshots
            // have no text index and are tested directly; the rest asks the trigram index.
            sql.Append(" and ").Append(
                searchesSnapshots ? TextIndex.DirectMatchSql(MartenConfig.Schema)
                : floor is null ? TextIndex.MatchSql(MartenConfig.Schema, SnapshotTypesSql)
                : TextIndex.WindowMatchSql(MartenConfig.Schema));
            cmd.Parameters.AddWithValue("grep", TextIndex.Pattern(query.Grep));
        }

        // Upwards pages walk the index from the bottom, then turn round: every page reads newest first.
        var upwards = query.AfterSeq is not null || query.FromOldest;
        sql.Append(upwards ? " order by seq_id asc" : " order by seq_id desc");
        if (query.Limit is { } limit)
        {
            sql.Append(" limit @limit");
            cmd.Parameters.AddWithValue("limit", limit);
        }

        cmd.CommandText = sql.ToString();
        var rows = new List<TimelineEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(ReadEntry(reader));
        }

        if (upwards)
        {
            rows.Reverse();
        }

        return rows;
    }

    /// <summary>One event by sequence number, or null.</summary>
    public Task<TimelineEntry?> GetAsync(long seq, CancellationToken ct = default) =>
        RetryAsync("reading an event", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events where seq_id = $1", conn);
            cmd.Parameters.AddWithValue(seq);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
        }, ct);

    /// <summary>Whether content with this SHA-256 is stored.</summary>
    public Task<bool> BlobExistsAsync(string sha256, CancellationToken ct = default) =>
        RetryAsync("looking up stored content", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select 1 from {MartenConfig.Schema}.ledger_blobs where sha256 = $1", conn);
            cmd.Parameters.AddWithValue(sha256);
            return await cmd.ExecuteScalarAsync(ct) is not null;
        }, ct);

    /// <summary>
    /// Stores a file's content under its SHA-256 (once: the same content again is not stored twice)
    /// and starts the backup's stream with <paramref name="e"/>, in one transaction: either both are
    /// stored or neither, so a failure (a full disk on the database server included) leaves no
    /// content without its event. The bytes from <paramref name="openContent"/> are hashed again on
    /// the way in and everything is rolled back if they no longer match (the file changed
    /// meanwhile), so a hash never names other content. Returns the backup's sequence number, or
    /// null when its stream existed already.
    /// </summary>
    public Task<long?> RecordBackupAsync(NewEvent e, string sha256, long sizeBytes, Func<Stream> openContent, CancellationToken ct = default)
    {
        var id = Guid.CreateVersion7();
        return RetryAsync(
            "storing a backup",
            async attempt =>
            {
                if (attempt > 1 && await CommittedSeqAsync(e.StreamKey, id, ct) is { } committed)
                {
                    return committed;
                }

                await using var conn = await OpenConnectionAsync(_dataSource, ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var content = openContent())
                await using (var hashing = new HashingReadStream(content))
                await using (var cmd = new NpgsqlCommand(
                    $"insert into {MartenConfig.Schema}.ledger_blobs (sha256, size_bytes, content) values ($1, $2, $3) on conflict (sha256) do nothing",
                    conn,
                    tx))
                {
                    cmd.Parameters.AddWithValue(sha256);
                    cmd.Parameters.AddWithValue(sizeBytes);
                    cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = hashing, Size = checked((int)sizeBytes) });
                    await cmd.ExecuteNonQueryAsync(ct);
                    if (hashing.BytesRead != sizeBytes || !string.Equals(hashing.HashHex(), sha256, StringComparison.Ordinal))
                    {
                        await tx.RollbackAsync(ct);
                        throw new StoreException("The content changed while it was being stored (its hash no longer matches); nothing was stored. Run the command again.");
                    }
                }

                try
                {
                    await using var session = _store.Value.LightweightSession(SessionOptions.ForTransaction(tx));
                    var action = session.Events.StartStream(e.StreamKey, e.Event);
                    action.Events[0].Id = id;
                    SetTimestamps(action, e.OccurredAt);
                    await SaveAsync(session, ct);
                }
                catch (Exception ex) when (IsStreamCollision(ex))
                {
                    // Recorded meanwhile by another process: this content is stored under that event.
                    return (long?)null;
                }

                await tx.CommitAsync(ct);
                return await CommittedSeqAsync(e.StreamKey, id, ct);
            },
            ct);
    }

    /// <summary>Streams stored content into <paramref name="destination"/>; false when there is none under that hash.</summary>
    /// <remarks>Retried on transient errors only when <paramref name="destination"/> can be rewound and cut back.</remarks>
    public Task<bool> CopyBlobToAsync(string sha256, Stream destination, CancellationToken ct = default)
    {
        var start = destination.CanSeek ? destination.Position : -1;
        var retry = destination.CanSeek ? _retry : RetryPolicy.None;
        return retry.RunAsync(
            "reading stored content",
            async attempt =>
            {
                if (attempt > 1)
                {
                    destination.SetLength(start);
                    destination.Position = start;
                }

                return await CopyBlobOnceAsync(sha256, destination, ct);
            },
            null,
            () =>
            {
                _dataSource.Clear();
                return Task.CompletedTask;
            },
            ct);
    }

    private async Task<bool> CopyBlobOnceAsync(string sha256, Stream destination, CancellationToken ct)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select content from {MartenConfig.Schema}.ledger_blobs where sha256 = $1", conn);
        cmd.Parameters.AddWithValue(sha256);
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct))
        {
            return false;
        }

        await using var stream = await reader.GetStreamAsync(0, ct);
        await stream.CopyToAsync(destination, ct);
        return true;
    }

    /// <summary>
    /// The newest event of a type on a host whose payload field <paramref name="field"/> equals
    /// <paramref name="value"/>, at or before <paramref name="atOrBefore"/> when given.
    /// </summary>
    public Task<TimelineEntry?> LatestAsync(Type eventType, string host, string field, string value, long? atOrBefore = null, CancellationToken ct = default) =>
        RetryAsync("reading the latest event", async () =>
        {
            var alias = EventCatalogue.Describe(eventType).Alias;
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events
                where type = @type and data->>'host' = @host and data->>@field = @value and (@at::bigint is null or seq_id <= @at)
                order by seq_id desc limit 1
                """,
                conn);
            cmd.Parameters.AddWithValue("type", alias);
            cmd.Parameters.AddWithValue("host", host);
            cmd.Parameters.AddWithValue("field", field);
            cmd.Parameters.AddWithValue("value", value);
            cmd.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Bigint) { Value = (object?)atOrBefore ?? DBNull.Value });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
        }, ct);

    /// <summary>
    /// The event that put the configuration in effect on <paramref name="host"/> for
    /// <paramref name="repo"/> at <paramref name="atOrBefore"/>: the latest config edit, successful
    /// deploy or completed restore at or before it. Its commit is the restore target.
    /// </summary>
    public Task<TimelineEntry?> ConfigInEffectAsync(string host, string repo, long atOrBefore, CancellationToken ct = default) =>
        RetryAsync("reading the configuration in effect", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events
                where seq_id <= @at and data->>'host' = @host and data->>'repo' = @repo
                  and (type = 'config_edited' or type = 'restore_completed' or (type = 'deploy_finished' and data->>'outcome' = 'succeeded'))
                order by seq_id desc limit 1
                """,
                conn);
            cmd.Parameters.AddWithValue("at", atOrBefore);
            cmd.Parameters.AddWithValue("host", host);
            cmd.Parameters.AddWithValue("repo", repo);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
        }, ct);

    /// <summary>The latest deploy of <paramref name="repo"/> on <paramref name="host"/> whose validations all passed.</summary>
    public Task<TimelineEntry?> LastValidatedDeployAsync(string host, string repo, CancellationToken ct = default) =>
        RetryAsync("reading the last validated deploy", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events
                where type = 'deploy_finished' and data->>'host' = @host and data->>'repo' = @repo and (data->>'validated')::boolean
                order by seq_id desc limit 1
                """,
                conn);
            cmd.Parameters.AddWithValue("host", host);
            cmd.Parameters.AddWithValue("repo", repo);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
        }, ct);

    /// <summary>The NixOS generation a successful deploy of <paramref name="commit"/> produced, if one was recorded.</summary>
    public Task<int?> GenerationOfAsync(string host, string commit, CancellationToken ct = default) =>
        RetryAsync<int?>("reading a generation", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select (data->>'generation')::int from {MartenConfig.Schema}.mt_events
                where type in ('deploy_finished', 'restore_completed') and data->>'host' = @host
                  and (data->>'commit' = @commit or data->>'newCommit' = @commit) and data->>'generation' is not null
                  and coalesce(data->>'outcome', 'succeeded') = 'succeeded'
                order by seq_id desc limit 1
                """,
                conn);
            cmd.Parameters.AddWithValue("host", host);
            cmd.Parameters.AddWithValue("commit", commit);
            return await cmd.ExecuteScalarAsync(ct) is int g ? g : null;
        }, ct);

    /// <summary>How many events are stored (all hosts).</summary>
    public Task<long> CountAsync(CancellationToken ct = default) =>
        RetryAsync("counting events", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select count(*) from {MartenConfig.Schema}.mt_events", conn);
            return (long)(await cmd.ExecuteScalarAsync(ct))!;
        }, ct);

    /// <summary>
    /// Re-asserts the append-only triggers on events and chain rows and, given an application role,
    /// leaves that role SELECT and INSERT on them (no UPDATE, DELETE or TRUNCATE). Needs the owner.
    /// </summary>
    public async Task<GuardReport> InstallGuardsAsync(string? appRole, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        return await AppendOnlyGuards.InstallAsync(conn, appRole, ct);
    }

    internal static TimelineEntry ReadEntry(NpgsqlDataReader reader)
    {
        var seq = reader.GetInt64(0);
        var timestamp = reader.GetFieldValue<DateTimeOffset>(1);
        var alias = reader.GetString(2);
        var stream = reader.GetString(3);
        // The payload as the UTF-8 bytes PostgreSQL sends: no UTF-16 string in between.
        var json = reader.GetFieldValue<byte[]>(4);
        var descriptor = EventCatalogue.FindAlias(alias);
        if (descriptor is null)
        {
            // An event type this build does not know (written by a newer Ledger): show it raw.
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement.Clone();
            return new TimelineEntry(seq, timestamp, Str(root, "host"), Str(root, "actor"), alias, alias, alias, stream, root);
        }

        if (EventLine.TryRead(alias, json, out var host, out var actor, out var title))
        {
            // A page shows the line only (snapshots, config edits): the event is decoded when the row is opened.
            return new TimelineEntry(seq, timestamp, host, actor, descriptor.Kind, alias, title, stream, () => JsonSerializer.Deserialize(json, descriptor.Type, EventJson.Options)!);
        }

        var e = (ILedgerEvent)JsonSerializer.Deserialize(json, descriptor.Type, EventJson.Options)!;
        return new TimelineEntry(seq, timestamp, e.Host, e.Actor, descriptor.Kind, alias, EventCatalogue.Title(e), stream, e);

        static string Str(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
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

    private Task<T> RetryAsync<T>(string what, Func<Task<T>> operation, CancellationToken ct) =>
        RetryAsync(what, _ => operation(), ct);

    private Task<T> RetryAsync<T>(string what, Func<int, Task<T>> operation, CancellationToken ct) =>
        _retry.RunAsync(
            what,
            operation,
            null,
            () =>
            {
                // The server went away: every idle pooled connection died with it.
                _dataSource.Clear();
                return Task.CompletedTask;
            },
            ct);

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

    internal static async Task<NpgsqlConnection> OpenConnectionAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StoreException(
                $"Cannot reach the database ({Describe(dataSource.ConnectionString)}): {e.Message}\n" +
                "Check --db / LEDGER_DB, or for the embedded database run 'ledger db status' and 'ledger db start'.",
                ExitCodes.UsageOrEnvironment,
                e);
        }
    }

    internal static async Task<int?> ReadSchemaVersionAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        // The table is looked up first: a statement naming a missing table fails to plan.
        await using var exists = new NpgsqlCommand($"select to_regclass('{MartenConfig.Schema}.ledger_meta') is not null", conn);
        if (await exists.ExecuteScalarAsync(ct) is not true)
        {
            return null;
        }

        await using var cmd = new NpgsqlCommand($"select max(schema_version) from {MartenConfig.Schema}.ledger_meta", conn);
        return await cmd.ExecuteScalarAsync(ct) is int v ? v : null;
    }

    private static async Task CreateSchemaAsync(NpgsqlConnection conn, string connectionString, CancellationToken ct)
    {
        // Two processes opening a fresh database at once: one creates, the other waits and finds it done.
        await using (var lockCmd = new NpgsqlCommand($"select pg_advisory_lock({SchemaLockKey})", conn))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        try
        {
            if (await ReadSchemaVersionAsync(conn, ct) == MartenConfig.SchemaVersion)
            {
                return;
            }

            using (var store = MartenConfig.Create(connectionString, manageSchema: true))
            {
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            }

            await using (var chain = new NpgsqlCommand(ChainSchema.Create(), conn))
            {
                await chain.ExecuteNonQueryAsync(ct);
            }

            var s = MartenConfig.Schema;
            await using var cmd = new NpgsqlCommand(
                $"""
                create index if not exists ix_ledger_events_host_seq on {s}.mt_events ((data->>'host'), seq_id);
                create index if not exists ix_ledger_events_type_seq on {s}.mt_events (type, seq_id);
                create index if not exists ix_ledger_events_timestamp on {s}.mt_events (timestamp);
                create index if not exists ix_ledger_events_type_host_time on {s}.mt_events (type, (data->>'host'), timestamp);
                create table if not exists {s}.ledger_blobs (sha256 text primary key, size_bytes bigint not null, content bytea not null);
                create table if not exists {s}.ledger_meta (schema_version int not null);
                {TextIndex.CreateSql(s)}
                """,
                conn);
            await cmd.ExecuteNonQueryAsync(ct);
            await using (var textGuards = new NpgsqlCommand(TextIndexGuards.Create(SnapshotTypesSql), conn))
            {
                await textGuards.ExecuteNonQueryAsync(ct);
            }

            await CreateTextIndexAsync(conn, ct);
            await UseLz4Async(conn, ct);

            // An upgraded ledger's history goes into the text index now, under the schema lock, as
            // creating the index did before (docs/operations.md: run one command after upgrading).
            await TextIndex.CatchUpAsync(conn, TextIndexSettle, ct);
            await using var version = new NpgsqlCommand(
                $"delete from {s}.ledger_meta; insert into {s}.ledger_meta (schema_version) values ({MartenConfig.SchemaVersion});",
                conn);
            await version.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (PermissionDenied(e) is { } denied)
        {
            throw new StoreException(
                $"The ledger schema needs creating or upgrading (to version {MartenConfig.SchemaVersion}), which only the owner of the database can do: {denied.MessageText}\n" +
                "Run 'ledger init --db-guards' once with the owner's connection string (--db), then use this role again.",
                inner: e);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({SchemaLockKey})", conn);
            await unlock.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// A trigram index for free-text search of everything but snapshots, when the server has
    /// pg_trgm (PostgreSQL's contrib; a trusted extension, so the database owner may create it).
    /// Without it search still works, by scanning.
    /// </summary>
    /// <summary>
    /// Large payloads (patches, container lists, backed-up files) are compressed when stored;
    /// lz4 costs a fraction of PostgreSQL's default pglz (an import of 3,000 commits: 0.27 s of
    /// appends against 0.36 s). Values written before keep their compression. A server built
    /// without lz4 keeps pglz.
    /// </summary>
    private static async Task UseLz4Async(NpgsqlConnection conn, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        try
        {
            await using var cmd = new NpgsqlCommand(
                $"""
                alter table {s}.mt_events alter column data set compression lz4;
                alter table {s}.event_text alter column body set compression lz4;
                alter table {s}.ledger_blobs alter column content set compression lz4;
                """,
                conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.FeatureNotSupported or PostgresErrorCodes.InvalidParameterValue)
        {
            // No lz4 in this server: pglz, as before.
        }
    }

    private static async Task CreateTextIndexAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        try
        {
            await using (var ext = new NpgsqlCommand($"create extension if not exists pg_trgm with schema {s}", conn))
            {
                await ext.ExecuteNonQueryAsync(ct);
            }

            await using var where = new NpgsqlCommand("select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'", conn);
            var extSchema = (string)(await where.ExecuteScalarAsync(ct))!;
            await using var index = new NpgsqlCommand(TextIndex.CreateIndexSql(s, extSchema), conn);
            await index.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.FeatureNotSupported or PostgresErrorCodes.UndefinedObject)
        {
            // No pg_trgm on this server: text search scans.
        }
    }

    // Marten wraps the server's error two levels deep (MartenSchemaException, then Weasel's).
    private static PostgresException? PermissionDenied(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } denied)
            {
                return denied;
            }
        }

        return null;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Username}@{b.Host}{(b.Port != 5432 ? ":" + b.Port : "")}/{b.Database}";
    }
}
