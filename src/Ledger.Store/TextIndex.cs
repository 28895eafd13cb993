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

    /// <summary>
    /// What a search matches, since schema version 6: the text as shown, not the stored JSON. The
    /// body of an event is every string and number of its payload, unescaped, one per line, folded
    /// to lower case (<c>search_text</c>); a search folds its text the same way
    /// (<c>search_fold</c>) and matches it with LIKE, its <c>\</c>, <c>%</c> and <c>_</c> escaped.
    /// So <c>"media"</c> and <c>D:\media</c> find what a message shows, while <c>"</c>, a JSON key
    /// (<c>authorEmail</c>) or <c>true</c> match nothing by themselves. Both the index and the
    /// direct read above the watermark use these two functions, so the answer never depends on
    /// how far the index has got. The database's lower() folds where its locale folds beyond
    /// ASCII (C.UTF-8, as the embedded cluster and CI use); under the C locale ICU's root locale
    /// does where the server has ICU, else only ASCII letters fold. Changing either function
    /// means a new <see cref="BodyFormat"/>.
    /// </summary>
    public const int BodyFormat = 2;

    public static string CreateSql(string s) =>
        $"""
        create table if not exists {s}.event_text (seq_id bigint primary key, body text not null);
        create table if not exists {s}.text_index_state (id int primary key default 1 check (id = 1), indexed_upto bigint not null default 0);
        insert into {s}.text_index_state (id) values (1) on conflict do nothing;
        alter table {s}.text_index_state add column if not exists body_format int not null default 1;
        drop index if exists {s}.ix_ledger_events_text;
        do $do$
        begin
          -- The database's own lower() where it folds beyond ASCII (C.UTF-8, en_US.UTF-8: no
          -- collator to open), else ICU's where the server has it (the C locale folds only ASCII).
          if lower(chr(196)) <> chr(228) and exists (select 1 from pg_collation where collname = 'und-x-icu') then
            execute $f$create or replace function {s}.search_fold(t text) returns text language sql immutable strict parallel safe
              as $b$ select lower(t collate "und-x-icu") $b$$f$;
          else
            execute $f$create or replace function {s}.search_fold(t text) returns text language sql immutable strict parallel safe
              as $b$ select lower(t) $b$$f$;
          end if;
        end
        $do$;
        create or replace function {s}.search_text(d jsonb) returns text language sql immutable strict parallel safe
          as $b$ select coalesce({s}.search_fold(string_agg(v #>> '{"{}"}', E'\n')), '') from jsonb_path_query(d, 'strict $.** ? (@.type() == "string" || @.type() == "number")') v $b$;
        do $do$
        begin
          -- Bodies written in another format (before 6: the JSON text) are rebuilt by the catch-up.
          if (select body_format from {s}.text_index_state) <> {BodyFormat} then
            truncate {s}.event_text;
            update {s}.text_index_state set indexed_upto = 0, body_format = {BodyFormat};
          end if;
        end
        $do$;
        """;

    public static string CreateIndexSql(string s, string trigramSchema) =>
        $"create index if not exists ix_ledger_event_text_body on {s}.event_text using gin (body \"{trigramSchema}\".gin_trgm_ops)";

    /// <summary>The LIKE pattern for a search's text (folded in SQL by <c>search_fold</c>): a literal substring.</summary>
    public static string Pattern(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>The condition that tests one event's payload directly against <c>@grep</c> (a <see cref="Pattern"/>).</summary>
    public static string DirectMatchSql(string s, string data = "data") =>
        $"{s}.search_text({data}) like {s}.search_fold(@grep)";

    /// <summary>
    /// The condition a search uses on non-snapshot events of the recent window, which is read by
    /// sequence number: an indexed event's body is looked up by its key (a LIKE on folded text,
    /// where extracting and folding the payload's strings costs several times more), an event
    /// above the watermark is tested directly.
    /// </summary>
    public static string WindowMatchSql(string s) =>
        // A scalar subquery, not EXISTS: the planner turns EXISTS into a hashed scan of every body.
        $"""
        case when {s}.mt_events.seq_id <= (select indexed_upto from {s}.text_index_state)
          then (select t.body from {s}.event_text t where t.seq_id = {s}.mt_events.seq_id) like {s}.search_fold(@grep)
          else {DirectMatchSql(s)} end
        """;

    /// <summary>
    /// The condition a search uses on non-snapshot events: indexed matches up to the watermark,
    /// the events above it read directly, both by the same definition of an event's text.
    /// </summary>
    public static string MatchSql(string s, string snapshotTypes) =>
        $"""
        seq_id in (
          select t.seq_id from {s}.event_text t where t.body like {s}.search_fold(@grep)
          union
          select b.seq_id from {s}.mt_events b
           where b.seq_id > (select indexed_upto from {s}.text_index_state) and b.type not in ({snapshotTypes}) and {DirectMatchSql(s, "b.data")})
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
            select seq_id, {s}.search_text(data) from {s}.mt_events where seq_id > $1 and seq_id <= $2 and type not in ({LedgerStore.SnapshotTypesSql})
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
