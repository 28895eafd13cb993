using Ledger.Core.Integrity;

namespace Ledger.Store.Chain;

/// <summary>
/// The hash chain over <c>mt_events</c>, kept in <c>ledger_chain</c>: <see cref="SealAsync"/>
/// appends a row per event in sequence order, <see cref="VerifyAsync"/> recomputes it. The
/// encoding is <see cref="ChainHash"/>'s; docs/events.md explains both.
/// </summary>
public sealed partial class LedgerChain
{
    public const int DefaultBatchSize = 5000;

    // Every column the chain covers, in ChainEntry's order. data::text is PostgreSQL's own rendering
    // of the jsonb value (keys sorted, fixed spacing), the same on every read of the same value.
    private const string EntryColumns =
        "seq_id, coalesce(stream_id, ''), version, type, timestamp, data::text, coalesce(data->>'host', '')";

    private readonly NpgsqlDataSource _dataSource;

    internal LedgerChain(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>The last chain row (sequence number 0 and the zero hash when nothing is sealed).</summary>
    public async Task<ChainHead> HeadAsync(CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        return await ReadHeadAsync(conn, null, ct);
    }

    private static async Task<ChainHead> ReadHeadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select seq, hash, (select count(*) from {ChainSchema.Table}) from {ChainSchema.Table} order by seq desc limit 1",
            conn,
            tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ChainHead(reader.GetInt64(0), ChainHash.ToHex(reader.GetFieldValue<byte[]>(1)), reader.GetInt64(2))
            : new ChainHead(0, ChainHash.ToHex(ChainHash.Genesis), 0);
    }

    private static async Task<long> CountAfterAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long seq, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select count(*) from {ChainSchema.Events} where seq_id > $1", conn, tx);
        cmd.Parameters.AddWithValue(seq);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static ChainEntry ReadEntry(NpgsqlDataReader reader) =>
        new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetInt64(2),
            reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetString(6),
            reader.GetString(5));
}
