using Ledger.Store.Chain;

namespace Ledger.Store;

// The schema: created (or upgraded) on first open under an advisory lock, and the append-only guards.
public sealed partial class LedgerStore
{
    private const long SchemaLockKey = 0x4C45444745520001; // "LEDGER" + 1

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

            await using (var chain = new NpgsqlCommand(ChainSchema.Create() + Ledger.Store.Fleet.FleetSchema.Create(), conn))
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

    /// <summary>
    /// Re-asserts the append-only triggers on events and chain rows and, given an application role,
    /// leaves that role SELECT and INSERT on them (no UPDATE, DELETE or TRUNCATE). Needs the owner.
    /// </summary>
    public async Task<GuardReport> InstallGuardsAsync(string? appRole, CancellationToken ct = default)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        return await AppendOnlyGuards.InstallAsync(conn, appRole, ct);
    }
}
