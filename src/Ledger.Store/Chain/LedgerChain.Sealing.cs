using Ledger.Core.Integrity;
using NpgsqlTypes;

namespace Ledger.Store.Chain;

// Sealing: chaining unsealed events in sequence order under the sealers' lock, waiting out gaps.
public sealed partial class LedgerChain
{
    private const long ChainLockKey = 0x4C45444745520002; // "LEDGER" + 2

    private static readonly TimeSpan DefaultSettleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Chains every unsealed event in sequence order, <paramref name="batchSize"/> events per
    /// transaction. Sealers exclude each other with a transaction-scoped advisory lock and re-read
    /// the head under it, so concurrent sealers extend one chain and never fork it.
    /// </summary>
    /// <remarks>
    /// Sequence numbers are taken before a transaction commits, so a gap below a visible event is
    /// either a rolled-back append (gone for good) or one still running (it will appear). Sealing
    /// past the second kind would leave that event outside the chain forever, so before passing a
    /// gap the sealer waits for every transaction running in the database to end (at most
    /// <paramref name="settleTimeout"/>); if one does not, it seals up to the gap and reports it.
    /// </remarks>
    public async Task<SealResult> SealAsync(int batchSize = DefaultBatchSize, TimeSpan? settleTimeout = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        long sealedCount = 0;
        long? held = null;
        while (true)
        {
            var head = await ReadHeadAsync(conn, null, ct);
            var seqs = await NextSeqsAsync(conn, head.Seq, batchSize, ct);
            if (seqs.Count == 0)
            {
                break;
            }

            var limit = seqs[^1];
            if (FirstGap(head.Seq, seqs) is { } gap && !await SettleAsync(conn, settleTimeout ?? DefaultSettleTimeout, ct))
            {
                limit = gap - 1;
                held = gap;
            }

            if (limit > head.Seq)
            {
                sealedCount += await AppendRowsAsync(conn, limit, batchSize, ct);
            }

            if (held is not null || seqs.Count < batchSize)
            {
                break;
            }
        }

        var final = await ReadHeadAsync(conn, null, ct);
        return new SealResult(sealedCount, final, await CountAfterAsync(conn, null, final.Seq, ct), held);
    }

    internal static async Task<List<long>> NextSeqsAsync(NpgsqlConnection conn, long after, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select seq_id from {ChainSchema.Events} where seq_id > $1 order by seq_id limit $2", conn);
        cmd.Parameters.AddWithValue(after);
        cmd.Parameters.AddWithValue(limit);
        var seqs = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    /// <summary>The first sequence number after <paramref name="head"/> that <paramref name="seqs"/> skips, if any.</summary>
    internal static long? FirstGap(long head, List<long> seqs)
    {
        var expected = head + 1;
        foreach (var s in seqs)
        {
            if (s != expected)
            {
                return expected;
            }

            expected = s + 1;
        }

        return null;
    }

    /// <summary>
    /// Waits until every transaction now running in this database has ended, so that any sequence
    /// number taken before now is either visible or gone for good. Each transaction holds a lock on
    /// its own virtual transaction id until it ends, which pg_locks shows to every role.
    /// </summary>
    internal static async Task<bool> SettleAsync(NpgsqlConnection conn, TimeSpan timeout, CancellationToken ct)
    {
        string[] running;
        await using (var cmd = new NpgsqlCommand(
            """
            select coalesce(array_agg(l.virtualxid), '{}') from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'virtualxid' and l.granted and l.pid <> pg_backend_pid()
              and a.datname = current_database() and a.backend_type = 'client backend'
            """,
            conn))
        {
            running = (string[])(await cmd.ExecuteScalarAsync(ct))!;
        }

        if (running.Length == 0)
        {
            return true;
        }

        var deadline = DateTime.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(10);
        await using var poll = new NpgsqlCommand("select count(*) from pg_locks where locktype = 'virtualxid' and granted and virtualxid = any($1)", conn);
        poll.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = running });
        while ((long)(await poll.ExecuteScalarAsync(ct))! > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(pause, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }

        return true;
    }

    /// <summary>One round under the sealers' lock: chains the events after the head up to <paramref name="limit"/>.</summary>
    private static async Task<int> AppendRowsAsync(NpgsqlConnection conn, long limit, int batchSize, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"select pg_advisory_xact_lock({ChainLockKey})", conn, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        // Another sealer may have moved the head while this one waited for the lock.
        var head = await ReadHeadAsync(conn, tx, ct);
        var previous = Convert.FromHexString(head.Hash);
        var rows = new List<ChainRow>();
        await using (var cmd = new NpgsqlCommand($"select {EntryColumns} from {ChainSchema.Events} where seq_id > $1 and seq_id <= $2 order by seq_id limit $3", conn, tx))
        {
            cmd.Parameters.AddWithValue(head.Seq);
            cmd.Parameters.AddWithValue(limit);
            cmd.Parameters.AddWithValue(batchSize);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var entry = ReadEntry(reader);
                previous = ChainHash.Next(previous, entry);
                rows.Add(new ChainRow(entry.Seq, previous));
            }
        }

        if (rows.Count > 0)
        {
            await using var writer = await conn.BeginBinaryImportAsync($"copy {ChainSchema.Table} (seq, hash) from stdin (format binary)", ct);
            foreach (var row in rows)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(row.Seq, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(row.Hash, NpgsqlDbType.Bytea, ct);
            }

            await writer.CompleteAsync(ct);
        }

        await tx.CommitAsync(ct);
        return rows.Count;
    }
}
