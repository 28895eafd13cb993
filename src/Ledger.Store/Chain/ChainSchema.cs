namespace Ledger.Store.Chain;

/// <summary>The SQL of the chain table and of the append-only triggers, created with the schema.</summary>
internal static class ChainSchema
{
    public const string Table = MartenConfig.Schema + ".ledger_chain";

    public const string Events = MartenConfig.Schema + ".mt_events";

    /// <summary>The tables no one may UPDATE, DELETE or TRUNCATE.</summary>
    public static readonly string[] Guarded = [Events, Table];

    /// <summary>
    /// The chain table and the guard triggers. Idempotent: run on every schema change and by
    /// <c>ledger init --db-guards</c>. The triggers are ENABLE ALWAYS so that
    /// <c>session_replication_role = replica</c> does not silence them; only the tables' owner
    /// (or a superuser) can disable or drop them, which is why Ledger should not run as the owner.
    /// </summary>
    public static string Create()
    {
        var s = MartenConfig.Schema;
        var sql = $"""
            create table if not exists {Table} (
                seq bigint primary key,
                hash bytea not null check (octet_length(hash) = 32),
                sealed_at timestamptz not null default now());

            create or replace function {s}.ledger_append_only() returns trigger language plpgsql as $fn$
            begin
                raise exception 'ledger: % on %.% refused: events and chain rows are append-only', tg_op, tg_table_schema, tg_table_name
                    using errcode = 'insufficient_privilege',
                          hint = 'Correct the record by appending a new event (for example ledger annotate); history is never rewritten.';
            end
            $fn$;

            """;
        foreach (var table in Guarded)
        {
            sql += $"""
                create or replace trigger ledger_append_only before update or delete on {table}
                    for each row execute function {s}.ledger_append_only();
                create or replace trigger ledger_append_only_truncate before truncate on {table}
                    for each statement execute function {s}.ledger_append_only();
                alter table {table} enable always trigger ledger_append_only;
                alter table {table} enable always trigger ledger_append_only_truncate;

                """;
        }

        return sql;
    }
}
