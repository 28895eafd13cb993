using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Bench.RawSql;

/// <summary>
/// Rows written straight into Marten's tables (mt_streams, mt_events), shaped as Marten writes them:
/// same columns, JSON from <see cref="EventJson"/>, stream versions, the events sequence moved on.
/// The store's API appends through Marten at a few thousand events a second; a benchmark needs a
/// million in a minute, which only binary COPY gives. Everything the benchmark writes behind the
/// store's back is here, in one transaction that holds the events table locked.
/// </summary>
internal sealed class MartenRows : IAsyncDisposable
{
    private static readonly string S = MartenConfig.Schema;

    private readonly NpgsqlConnection _conn;
    private readonly NpgsqlTransaction _tx;

    private MartenRows(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        _conn = conn;
        _tx = tx;
    }

    /// <summary>Opens the transaction and locks the events table against other writers (the store's schema must exist).</summary>
    public static async Task<MartenRows> BeginAsync(string connectionString, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(ConnectionStrings.WithDefaults(connectionString));
        await conn.OpenAsync(ct);
        var tx = await conn.BeginTransactionAsync(ct);
        var rows = new MartenRows(conn, tx);
        await Sql.ExecAsync(conn, $"lock table {S}.mt_events in exclusive mode", ct);
        return rows;
    }

    /// <summary>Whether streams of the benchmark's hosts (bench-NN) exist: asked under the lock, so no seeding runs twice.</summary>
    public async Task<bool> HoldBenchmarkDataAsync(CancellationToken ct) =>
        await Sql.ScalarAsync(_conn, $"select exists (select 1 from {S}.mt_streams where id like '%:bench-%')", ct) is true;

    /// <summary>The sequence number the next event takes.</summary>
    public async Task<long> NextSeqAsync(CancellationToken ct) =>
        (long)(await Sql.ScalarAsync(_conn, $"select coalesce(max(seq_id), 0) + 1 from {S}.mt_events", ct))!;

    public async Task CopyStreamsAsync(IEnumerable<(string Key, long Version, DateTimeOffset First)> streams, CancellationToken ct)
    {
        await using var w = await _conn.BeginBinaryImportAsync($"copy {S}.mt_streams (id, version, timestamp, created, tenant_id, is_archived) from stdin (format binary)", ct);
        foreach (var (key, version, first) in streams)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(key, NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(version, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(first, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(first, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar, ct);
            await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
        }

        await w.CompleteAsync(ct);
    }

    /// <summary>Copies the events into mt_events; reports every 100,000th.</summary>
    public async Task<long> CopyEventsAsync(IEnumerable<(long Seq, string StreamKey, long Version, DateTimeOffset At, ILedgerEvent Event)> events, IProgress<long>? progress, CancellationToken ct)
    {
        long written = 0;
        await using var w = await _conn.BeginBinaryImportAsync(CopyEventsSql($"{S}.mt_events"), ct);
        foreach (var e in events)
        {
            await WriteEventAsync(w, e.Seq, e.StreamKey, e.Version, e.At, e.Event, ct);
            if (++written % 100_000 == 0)
            {
                progress?.Report(written);
            }
        }

        await w.CompleteAsync(ct);
        return written;
    }

    /// <summary>Moves the events sequence past <paramref name="lastSeq"/>, commits, and refreshes the planner's statistics.</summary>
    public async Task CommitAsync(long lastSeq, CancellationToken ct)
    {
        await Sql.ExecAsync(_conn, $"select setval('{S}.mt_events_sequence', {lastSeq})", ct);
        await _tx.CommitAsync(ct);
        await Sql.ExecAsync(_conn, $"analyze {S}.mt_events; analyze {S}.mt_streams", ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _tx.DisposeAsync();
        await _conn.DisposeAsync();
    }

    /// <summary>The COPY statement for a table shaped like mt_events.</summary>
    public static string CopyEventsSql(string table) =>
        $"copy {table} (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) from stdin (format binary)";

    /// <summary>One row as Marten writes it: the catalogue's alias, the CLR type name, JSON from <see cref="EventJson"/>.</summary>
    public static async Task WriteEventAsync(NpgsqlBinaryImporter w, long seq, string streamKey, long version, DateTimeOffset at, ILedgerEvent e, CancellationToken ct)
    {
        var type = e.GetType();
        await w.StartRowAsync(ct);
        await w.WriteAsync(seq, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(Guid.CreateVersion7(at), NpgsqlDbType.Uuid, ct);
        await w.WriteAsync(streamKey, NpgsqlDbType.Varchar, ct);
        await w.WriteAsync(version, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(JsonSerializer.Serialize(e, type, EventJson.Options), NpgsqlDbType.Jsonb, ct);
        await w.WriteAsync(EventCatalogue.Describe(type).Alias, NpgsqlDbType.Varchar, ct);
        await w.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar, ct);
        await w.WriteAsync(LedgerStore.DotnetTypeName(type), NpgsqlDbType.Varchar, ct);
        await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
    }
}
