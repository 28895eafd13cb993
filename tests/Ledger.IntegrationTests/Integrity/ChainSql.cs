namespace Ledger.IntegrationTests.Integrity;

/// <summary>The chain recomputed in SQL alone, as docs/events.md gives it to outside verifiers.</summary>
internal static class ChainSql
{
    /// <summary>How many chain rows equal the hash PostgreSQL computes itself (all of them when intact).</summary>
    public const string RecomputeAndCompare =
        """
        with recursive chain(seq, h) as (
            select 0::bigint, decode(repeat('00', 32), 'hex')
            union all
            select e.seq_id, sha256(chain.h || (
                    select string_agg(int4send(octet_length(f)) || f, ''::bytea order by i)
                    from unnest(array[
                        convert_to(e.seq_id::text, 'UTF8'),
                        convert_to(coalesce(e.stream_id, ''), 'UTF8'),
                        convert_to(e.version::text, 'UTF8'),
                        convert_to(e.type, 'UTF8'),
                        convert_to(to_char(e.timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8'),
                        convert_to(coalesce(e.data->>'host', ''), 'UTF8'),
                        convert_to(e.data::text, 'UTF8')]) with ordinality as x(f, i)))
            from chain cross join lateral (
                select * from ledger.mt_events m where m.seq_id > chain.seq order by m.seq_id limit 1) e)
        select count(*) from chain join ledger.ledger_chain c on c.seq = chain.seq and c.hash = chain.h
        """;
}
