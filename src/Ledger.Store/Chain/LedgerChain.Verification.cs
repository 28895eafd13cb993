using System.Data;
using Ledger.Core.Integrity;

namespace Ledger.Store.Chain;

// Verification: recomputing the chain in one snapshot, with hidden events, the text index and a checkpoint.
public sealed partial class LedgerChain
{
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
}
