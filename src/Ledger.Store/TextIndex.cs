using Npgsql;

namespace Ledger.Store;

/// <summary>
/// The free-text index, kept off the append path. Extracting trigrams is the costliest part of
/// storing a commit (an import of 3,000 commits spent 1.8 of its 2.3 s in it), so appends write
/// only <c>mt_events</c>; <see cref="CatchUpAsync"/> copies each non-snapshot event's text into
/// <c>event_text</c> (trigram-indexed) afterwards: the daemon every minute, a search that finds
/// many events waiting, and a schema upgrade. <c>text_index_state.indexed_upto</c> is the
/// watermark: every event at or below it is in <c>event_text</c>, so a search asks the index up
/// to it and reads the events above it directly, and never misses one.
/// <para>
/// The watermark moves past a hole in the sequence numbers (an append still running, or one
/// rolled back) only after every transaction running in the database has ended, as sealing does
/// (<see cref="Chain.LedgerChain.SettleAsync"/>); until then the events after the hole are read
/// directly.
/// </para>
/// </summary>
internal static class TextIndex
{
    public const int BatchSize = 2_000;

    public static string CreateSql(string s) =>
        $"""
        create table if not exists {s}.event_text (seq_id bigint primary key, body text not null);
        create table if not exists {s}.text_index_state (id int primary key default 1 check (id = 1), indexed_upto bigint not null default 0);
        insert into {s}.text_index_state (id) values (1) on conflict do nothing;
        drop index if exists {s}.ix_ledger_events_text;
        """;

    public static string CreateIndexSql(string s, string trigramSchema) =>
        $"create index if not exists ix_ledger_event_text_body on {s}.event_text using gin (body \"{trigramSchema}\".gin_trgm_ops)";

    /// <summary>
    /// The condition a search uses instead of <c>data::text ilike @grep</c> on non-snapshot events:
    /// indexed matches up to the watermark, the events above it read directly.
    /// </summary>
    public static string MatchSql(string s, string snapshotTypes) =>
        $"""
        seq_id in (
          select t.seq_id from {s}.event_text t where t.body ilike @grep
          union
          select b.seq_id from {s}.mt_events b
           where b.seq_id > (select indexed_upto from {s}.text_index_state) and b.type not in ({snapshotTypes}) and b.data::text ilike @grep)
        """;

    /// <summary>Non-snapshot events above the watermark, counted up to <paramref name="atMost"/>.</summary>
    public static async Task<long> BacklogAsync(NpgsqlConnection conn, long atMost, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        await using var cmd = new NpgsqlCommand(
            $"select count(*) from (select 1 from {s}.mt_events where seq_id > (select indexed_upto from {s}.text_index_state) and type not in ({LedgerStore.SnapshotTypesSql}) limit $1) x",
            conn);
        cmd.Parameters.AddWithValue(atMost);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Indexes every event above the watermark (up to a hole that does not settle within
    /// <paramref name="settleTimeout"/>); returns how many.
    /// </summary>
    public static async Task<int> CatchUpAsync(NpgsqlConnection conn, TimeSpan settleTimeout, CancellationToken ct)
    {
        int total = 0;
        while (true)
        {
            var (indexed, more) = await StepAsync(conn, settleTimeout, ct);
            total += indexed;
            if (!more)
            {
                return total;
            }
        }
    }

    /// <summary>The next <see cref="BatchSize"/> sequence numbers above the watermark, in one transaction.</summary>
    private static async Task<(int Indexed, bool More)> StepAsync(NpgsqlConnection conn, TimeSpan settleTimeout, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        var upto = await WatermarkAsync(conn, null, ct);
        var seqs = await Chain.LedgerChain.NextSeqsAsync(conn, upto, BatchSize, ct);
        if (seqs.Count == 0)
        {
            return (0, false);
        }

        var limit = seqs[^1];
        var held = false;
        if (Chain.LedgerChain.FirstGap(upto, seqs) is { } gap && !await Chain.LedgerChain.SettleAsync(conn, settleTimeout, ct))
        {
            (limit, held) = (gap - 1, true);
        }

        if (limit <= upto)
        {
            return (0, false);
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await WatermarkAsync(conn, tx, ct) != upto)
        {
            // Another catch-up moved it meanwhile: start again from where that one got to.
            await tx.RollbackAsync(ct);
            return (0, true);
        }

        int indexed;
        await using (var copy = new NpgsqlCommand(
            $"""
            insert into {s}.event_text (seq_id, body)
            select seq_id, data::text from {s}.mt_events where seq_id > $1 and seq_id <= $2 and type not in ({LedgerStore.SnapshotTypesSql})
            on conflict (seq_id) do nothing
            """,
            conn,
            tx))
        {
            copy.Parameters.AddWithValue(upto);
            copy.Parameters.AddWithValue(limit);
            indexed = await copy.ExecuteNonQueryAsync(ct);
        }

        await using (var save = new NpgsqlCommand($"update {s}.text_index_state set indexed_upto = $1 where id = 1", conn, tx))
        {
            save.Parameters.AddWithValue(limit);
            await save.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return (indexed, !held && seqs.Count == BatchSize);
    }

    /// <summary>The watermark; inside <paramref name="tx"/> the state row is locked, so that catch-ups take turns.</summary>
    private static async Task<long> WatermarkAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        await using var cmd = new NpgsqlCommand($"select indexed_upto from {s}.text_index_state where id = 1{(tx is null ? "" : " for update")}", conn, tx);
        return await cmd.ExecuteScalarAsync(ct) as long?
            ?? throw new StoreException($"{s}.text_index_state has no row: the schema is damaged. Open the database once as its owner to repair it.");
    }
}
