using System.Text;
using System.Text.Json;
using JasperFx.Events;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store.Chain;
using Ledger.Store.Projections;
using Marten;
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
    internal static readonly IReadOnlySet<string> SnapshotTypes = EventCatalogue.All.Where(d => d.Kind.EndsWith("-snapshot", StringComparison.Ordinal)).Select(d => d.Alias).ToHashSet(StringComparer.Ordinal);

    // Literal, in the same order in the index predicate and in queries, so that the planner can match them.
    private static readonly string SnapshotTypesSql = string.Join(", ", SnapshotTypes.Order(StringComparer.Ordinal).Select(t => $"'{t}'"));

    private readonly Lazy<DocumentStore> _store;
    private readonly NpgsqlDataSource _dataSource;

    private LedgerStore(Lazy<DocumentStore> store, NpgsqlDataSource dataSource, string description)
    {
        _store = store;
        _dataSource = dataSource;
        Description = description;
        Chain = new LedgerChain(dataSource);
    }

    /// <summary>Where the events live, for headers and messages (no password).</summary>
    public string Description { get; }

    /// <summary>The change records (read model of the change docs), built in the database.</summary>
    public ChangeRecords Changes => new(_dataSource);

    /// <summary>Per-host statistics of a period (read model of the monthly report), aggregated in the database.</summary>
    public MonthlyStats Monthly => new(_dataSource);

    /// <summary>The hash chain over the events: seal, verify, head.</summary>
    public LedgerChain Chain { get; }

    /// <summary>Aggregate reads for the daemon's metrics and health check.</summary>
    public LedgerStats Stats => new(_dataSource);

    /// <summary>
    /// Opens the store, creating the schema on first use. Later opens check one row and skip
    /// Marten's schema comparison, which keeps short-lived processes (git hooks) fast.
    /// </summary>
    public static async Task<LedgerStore> OpenAsync(string connectionString, CancellationToken ct = default)
    {
        connectionString = ConnectionStrings.WithDefaults(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using (var conn = await OpenConnectionAsync(dataSource, ct))
            {
                if (await ReadSchemaVersionAsync(conn, ct) != MartenConfig.SchemaVersion)
                {
                    await CreateSchemaAsync(conn, connectionString, ct);
                }
            }

            // Marten's store costs hundreds of milliseconds to build; reads (timeline, TUI, docs,
            // report) go straight to the data source and never need it.
            var store = new Lazy<DocumentStore>(() => MartenConfig.Create(connectionString, manageSchema: false));
            return new LedgerStore(store, dataSource, Describe(connectionString));
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
    public async Task<long> AppendAsync(NewEvent e, CancellationToken ct = default)
    {
        await using var session = _store.Value.LightweightSession();
        var action = session.Events.Append(e.StreamKey, e.Event);
        SetTimestamps(action, e.OccurredAt);
        await SaveAsync(session, ct);
        return action.Events[^1].Sequence;
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
        await foreach (var e in events.WithCancellation(ct))
        {
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
    public async Task<HashSet<string>> StreamKeysAsync(string prefix, CancellationToken ct = default)
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
    }

    /// <summary>Whether a stream exists.</summary>
    public async Task<bool> StreamExistsAsync(string key, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select 1 from {MartenConfig.Schema}.mt_streams where id = $1", conn);
        cmd.Parameters.AddWithValue(key);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The sequence number of a stream's first event, or throws when the stream does not exist.</summary>
    public async Task<long> FirstSeqOfStreamAsync(string key, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select min(seq_id) from {MartenConfig.Schema}.mt_events where stream_id = $1", conn);
        cmd.Parameters.AddWithValue(key);
        return await cmd.ExecuteScalarAsync(ct) is long seq
            ? seq
            : throw new StoreException($"No events are recorded under '{key}'.");
    }

    /// <summary>One page of the timeline, newest first.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAsync(TimelineQuery query, CancellationToken ct = default)
    {
        var sql = new StringBuilder($"select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events where is_archived = false");
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand { Connection = conn };

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
            // Case-insensitive substring of the stored payload (message, purpose, paths, patch text).
            // Snapshots (nine in ten events, and every container snapshot names every container)
            // are searched only when a snapshot kind is asked for; the rest has a trigram index.
            if (!query.Kinds.Any(k => EventCatalogue.AliasesOfKind(k).Any(SnapshotTypes.Contains)))
            {
                sql.Append($" and type not in ({SnapshotTypesSql})");
            }

            sql.Append(" and data::text ilike @grep");
            cmd.Parameters.AddWithValue("grep", "%" + EscapeLike(query.Grep) + "%");
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
    public async Task<TimelineEntry?> GetAsync(long seq, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select seq_id, timestamp, type, stream_id, data from {MartenConfig.Schema}.mt_events where seq_id = $1", conn);
        cmd.Parameters.AddWithValue(seq);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
    }

    /// <summary>Whether content with this SHA-256 is stored.</summary>
    public async Task<bool> BlobExistsAsync(string sha256, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select 1 from {MartenConfig.Schema}.ledger_blobs where sha256 = $1", conn);
        cmd.Parameters.AddWithValue(sha256);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>
    /// Stores content under its SHA-256, streaming it from <paramref name="content"/>. The bytes are
    /// hashed again on the way in and the insert is rolled back if they no longer match (the file
    /// changed meanwhile), so a hash never names other content. Storing the same hash again changes nothing.
    /// </summary>
    public async Task PutBlobAsync(string sha256, Stream content, long sizeBytes, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var hashing = new HashingReadStream(content);
        await using var cmd = new NpgsqlCommand(
            $"insert into {MartenConfig.Schema}.ledger_blobs (sha256, size_bytes, content) values ($1, $2, $3) on conflict (sha256) do nothing",
            conn,
            tx);
        cmd.Parameters.AddWithValue(sha256);
        cmd.Parameters.AddWithValue(sizeBytes);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = hashing, Size = checked((int)sizeBytes) });
        await cmd.ExecuteNonQueryAsync(ct);
        if (hashing.BytesRead != sizeBytes || !string.Equals(hashing.HashHex(), sha256, StringComparison.Ordinal))
        {
            await tx.RollbackAsync(ct);
            throw new StoreException("The content changed while it was being stored (its hash no longer matches); nothing was stored. Run the command again.");
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>Streams stored content into <paramref name="destination"/>; false when there is none under that hash.</summary>
    public async Task<bool> CopyBlobToAsync(string sha256, Stream destination, CancellationToken ct = default)
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
    public async Task<TimelineEntry?> LatestAsync(Type eventType, string host, string field, string value, long? atOrBefore = null, CancellationToken ct = default)
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
    }

    /// <summary>
    /// The event that put the configuration in effect on <paramref name="host"/> for
    /// <paramref name="repo"/> at <paramref name="atOrBefore"/>: the latest config edit, successful
    /// deploy or completed restore at or before it. Its commit is the restore target.
    /// </summary>
    public async Task<TimelineEntry?> ConfigInEffectAsync(string host, string repo, long atOrBefore, CancellationToken ct = default)
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
    }

    /// <summary>The latest deploy of <paramref name="repo"/> on <paramref name="host"/> whose validations all passed.</summary>
    public async Task<TimelineEntry?> LastValidatedDeployAsync(string host, string repo, CancellationToken ct = default)
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
    }

    /// <summary>The NixOS generation a successful deploy of <paramref name="commit"/> produced, if one was recorded.</summary>
    public async Task<int?> GenerationOfAsync(string host, string commit, CancellationToken ct = default)
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
    }

    /// <summary>How many events are stored (all hosts).</summary>
    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select count(*) from {MartenConfig.Schema}.mt_events", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

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
        var json = reader.GetString(4);
        var descriptor = EventCatalogue.FindAlias(alias);
        if (descriptor is null)
        {
            // An event type this build does not know (written by a newer Ledger): show it raw.
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement.Clone();
            return new TimelineEntry(seq, timestamp, Str(root, "host"), Str(root, "actor"), alias, alias, alias, stream, root);
        }

        var e = (ILedgerEvent)JsonSerializer.Deserialize(json, descriptor.Type, EventJson.Options)!;
        return new TimelineEntry(seq, timestamp, e.Host, e.Actor, descriptor.Kind, alias, EventCatalogue.Title(e), stream, e);

        static string Str(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
    }

    private async Task<int> StartBatchAsync(List<NewEvent> batch, CancellationToken ct)
    {
        try
        {
            await using var session = _store.Value.LightweightSession();
            foreach (var e in batch)
            {
                SetTimestamps(session.Events.StartStream(e.StreamKey, e.Event), e.OccurredAt);
            }

            await SaveAsync(session, ct);
            return batch.Count;
        }
        catch (Exception ex) when (IsStreamCollision(ex) && batch.Count > 1)
        {
            // Someone recorded some of these meanwhile (a hook racing an import): fall back to one by one.
            int recorded = 0;
            foreach (var single in batch)
            {
                recorded += await StartBatchAsync([single], ct);
            }

            return recorded;
        }
        catch (Exception ex) when (IsStreamCollision(ex))
        {
            return 0;
        }
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
                delete from {s}.ledger_meta;
                insert into {s}.ledger_meta (schema_version) values ({MartenConfig.SchemaVersion});
                """,
                conn);
            await cmd.ExecuteNonQueryAsync(ct);
            await CreateTextIndexAsync(conn, ct);
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
            await using var index = new NpgsqlCommand(
                $"create index if not exists ix_ledger_events_text on {s}.mt_events using gin ((data::text) \"{extSchema}\".gin_trgm_ops) where type not in ({SnapshotTypesSql})",
                conn);
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
