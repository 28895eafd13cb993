using System.Data;
using Ledger.Core.Integrity;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Store.Chain;

/// <summary>
/// The hash chain over <c>mt_events</c>, kept in <c>ledger_chain</c>: <see cref="SealAsync"/>
/// appends a row per event in sequence order, <see cref="VerifyAsync"/> recomputes it. The
/// encoding is <see cref="ChainHash"/>'s; docs/events.md explains both.
/// </summary>
public sealed class LedgerChain
{
    public const int DefaultBatchSize = 5000;

    private const long ChainLockKey = 0x4C45444745520002; // "LEDGER" + 2

    // Every column the chain covers, in ChainEntry's order. data::text is PostgreSQL's own rendering
    // of the jsonb value (keys sorted, fixed spacing), the same on every read of the same value.
    private const string EntryColumns =
        "seq_id, coalesce(stream_id, ''), version, type, timestamp, data::text, coalesce(data->>'host', '')";

    private static readonly TimeSpan DefaultSettleTimeout = TimeSpan.FromSeconds(10);

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

    /// <summary>
    /// Recomputes the chain from <c>h_0</c> in one consistent snapshot, streaming events in
    /// sequence order, and checks <paramref name="checkpoint"/> (its signature is the caller's
    /// business) against the stored chain. An event that readers cannot see (archived) and an
    /// event missing from the free-text index are reported too: hidden is as good as deleted.
    /// </summary>
    public async Task<ChainReport> VerifyAsync(Checkpoint? checkpoint = null, int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", conn, tx))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        var head = await ReadHeadAsync(conn, tx, ct);
        var walk = new ChainWalk();
        var hidden = new List<ChainProblem>();
        long after = 0;
        byte[]? atCheckpoint = null;
        while (true)
        {
            var rows = await ChainRowsAsync(conn, tx, after, batchSize, ct);
            if (rows.Count == 0)
            {
                break;
            }

            var upper = rows[^1].Seq;
            var i = 0;
            await using (var cmd = new NpgsqlCommand($"select {EntryColumns}, ({LedgerStore.VisibleSql}) is not true from {ChainSchema.Events} where seq_id > $1 and seq_id <= $2 order by seq_id", conn, tx))
            {
                cmd.Parameters.AddWithValue(after);
                cmd.Parameters.AddWithValue(upper);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var entry = ReadEntry(reader);
                    if (reader.GetBoolean(7) && hidden.Count < ChainReport.MaxProblems)
                    {
                        hidden.Add(Hidden(entry.Seq, sealedEvent: true));
                    }

                    for (; i < rows.Count && rows[i].Seq < entry.Seq; i++)
                    {
                        walk.Missing(rows[i]);
                    }

                    if (i < rows.Count && rows[i].Seq == entry.Seq)
                    {
                        walk.Chained(entry, rows[i]);
                        i++;
                    }
                    else
                    {
                        walk.NotInChain(entry);
                    }
                }
            }

            for (; i < rows.Count; i++)
            {
                walk.Missing(rows[i]);
            }

            if (checkpoint is not null && rows.FirstOrDefault(r => r.Seq == checkpoint.Seq) is { } cp)
            {
                atCheckpoint = cp.Hash;
            }

            after = upper;
        }

        var problems = walk.Finish();
        problems.AddRange(hidden);
        problems.AddRange(await HiddenAfterAsync(conn, tx, head.Seq, ct));
        problems.AddRange(await TextIndexProblemsAsync(conn, tx, ct));
        if (checkpoint is not null && CheckCheckpoint(checkpoint, head, atCheckpoint) is { } cpProblem)
        {
            problems.Add(cpProblem);
        }

        var unsealed = await CountAfterAsync(conn, tx, head.Seq, ct);
        await tx.CommitAsync(ct);
        var ordered = problems.OrderBy(p => p.Seq).Take(ChainReport.MaxProblems).ToList();
        return new ChainReport(head, unsealed, ordered);
    }

    private static ChainProblem Hidden(long seq, bool sealedEvent) =>
        new(
            seq,
            ChainProblemKind.EventHidden,
            $"event #{seq} is marked archived{(sealedEvent ? " after it was sealed" : "")}: the timeline, the TUI and searches no longer show it (its is_archived is not false; Ledger never archives, so it was set directly in the database).");

    /// <summary>Hidden events after the chain's head: not sealed yet, but already out of every reader's sight.</summary>
    private static async Task<List<ChainProblem>> HiddenAfterAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long head, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select seq_id from {ChainSchema.Events} where seq_id > $1 and ({LedgerStore.VisibleSql}) is not true order by seq_id limit $2", conn, tx);
        cmd.Parameters.AddWithValue(head);
        cmd.Parameters.AddWithValue(ChainReport.MaxProblems);
        var problems = new List<ChainProblem>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            problems.Add(Hidden(reader.GetInt64(0), sealedEvent: false));
        }

        return problems;
    }

    /// <summary>
    /// The free-text index must hold every event its watermark claims (a search asks only the index
    /// up to the watermark), and the watermark must not lie beyond the last event (events appended
    /// below it would never be indexed). Rows are checked by sequence number, not by their text.
    /// </summary>
    private static async Task<List<ChainProblem>> TextIndexProblemsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var problems = new List<ChainProblem>();
        long watermark;
        long last;
        await using (var state = new NpgsqlCommand(
            $"select (select indexed_upto from {TextIndexGuards.State} where id = 1), (select coalesce(max(seq_id), 0) from {ChainSchema.Events})",
            conn,
            tx))
        {
            await using var reader = await state.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.IsDBNull(0))
            {
                problems.Add(new ChainProblem(0, ChainProblemKind.TextIndexWatermark, $"{TextIndexGuards.State} has no row: searches see only what the index holds. Open the database once as its owner to repair it."));
                return problems;
            }

            (watermark, last) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (watermark > last)
        {
            problems.Add(new ChainProblem(
                watermark,
                ChainProblemKind.TextIndexWatermark,
                $"the text index claims to hold every event up to #{watermark}, but the last event is #{last}: events recorded up to #{watermark} would never be indexed, and searches would not find them. The watermark was moved directly in the database."));
        }

        await using var cmd = new NpgsqlCommand(
            $"""
            select e.seq_id from {ChainSchema.Events} e
            where e.seq_id <= $1 and e.type not in ({LedgerStore.SnapshotTypesSql})
              and not exists (select 1 from {TextIndexGuards.Text} t where t.seq_id = e.seq_id)
            order by e.seq_id limit $2
            """,
            conn,
            tx);
        cmd.Parameters.AddWithValue(watermark);
        cmd.Parameters.AddWithValue(ChainReport.MaxProblems);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var seq = reader.GetInt64(0);
                problems.Add(new ChainProblem(
                    seq,
                    ChainProblemKind.TextIndexMissing,
                    $"event #{seq} is missing from the text index (its row in event_text was deleted): searches (--grep, /) cannot find it. The event itself may be intact."));
            }
        }

        return problems;
    }

    private static ChainProblem? CheckCheckpoint(Checkpoint checkpoint, ChainHead head, byte[]? stored)
    {
        if (checkpoint.Seq == 0)
        {
            return checkpoint.Hash == ChainHash.ToHex(ChainHash.Genesis)
                ? null
                : new ChainProblem(0, ChainProblemKind.CheckpointDiffers, "the checkpoint is at #0 but its hash is not the zero hash: it was not written by Ledger.");
        }

        if (stored is null)
        {
            return new ChainProblem(
                checkpoint.Seq,
                ChainProblemKind.CheckpointMissing,
                head.Seq < checkpoint.Seq
                    ? $"the checkpoint of {checkpoint.Time} holds #{checkpoint.Seq}, but the chain now ends at #{head.Seq}: events after #{head.Seq} were removed together with their chain rows (a truncated tail)."
                    : $"the checkpoint of {checkpoint.Time} holds #{checkpoint.Seq}, but the chain has no row for #{checkpoint.Seq} any more: it was removed.");
        }

        var hex = ChainHash.ToHex(stored);
        return hex == checkpoint.Hash
            ? null
            : new ChainProblem(
                checkpoint.Seq,
                ChainProblemKind.CheckpointDiffers,
                $"the chain's hash at #{checkpoint.Seq} is {hex[..16]}..., the checkpoint of {checkpoint.Time} says {checkpoint.Hash[..16]}...: the history up to #{checkpoint.Seq} was rewritten and sealed again.");
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

    private static async Task<List<ChainRow>> ChainRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long after, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select seq, hash from {ChainSchema.Table} where seq > $1 order by seq limit $2", conn, tx);
        cmd.Parameters.AddWithValue(after);
        cmd.Parameters.AddWithValue(limit);
        var rows = new List<ChainRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new ChainRow(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        }

        return rows;
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
