namespace Ledger.Store.Chain;

/// <summary>
/// Keeps the free-text index (<c>event_text</c> and its watermark <c>text_index_state</c>) from
/// being used to hide events from searches: a role that does not own the tables may only do what
/// the indexer does. Deleting or changing an <c>event_text</c> row, inserting one for an event that
/// does not exist or is already indexed or with a body other than the event's own text, and moving the watermark anywhere but forward over events
/// that are all indexed are refused. The tables' owner (or a superuser) passes, so that a schema
/// upgrade can rebuild the index; <c>ledger verify</c> catches what an owner breaks.
/// </summary>
internal static class TextIndexGuards
{
    public const string Text = MartenConfig.Schema + ".event_text";

    public const string State = MartenConfig.Schema + ".text_index_state";

    /// <summary>Rights the application role must not hold, per table (checked by <c>ledger init --db-guards</c>).</summary>
    public static readonly (string Table, string[] Rights)[] Forbidden =
    [
        (Text, ["UPDATE", "DELETE", "TRUNCATE"]),
        (State, ["INSERT", "DELETE", "TRUNCATE"]),
    ];

    /// <summary>The grants for the application role: revoke what only the owner may do.</summary>
    public static string Revoke(string role) =>
        $"""
        revoke update, delete, truncate on {Text} from {role};
        revoke insert, delete, truncate on {State} from {role};
        revoke all on {Text}, {State} from public;
        """;

    /// <summary>
    /// The guard functions and triggers; idempotent. Run after the text tables exist (schema
    /// creation and <c>ledger init --db-guards</c>). <paramref name="snapshotTypesSql"/> is the list
    /// of event types the indexer leaves out.
    /// </summary>
    public static string Create(string snapshotTypesSql)
    {
        var s = MartenConfig.Schema;
        var onlyGrows = OwnerPasses("ledger_text_index_only_grows", "case when tg_op = 'DELETE' then old else new end", """
            raise exception 'ledger: % on %.% refused: the text index only grows, through the indexer', tg_op, tg_table_schema, tg_table_name
                using errcode = 'insufficient_privilege',
                      hint = 'A damaged index is rebuilt by the tables'' owner; ledger verify reports events missing from it.';
            """);

        var checksInsert = OwnerPasses("ledger_text_index_checks_insert", "null", $"""
            -- The body must be the event's own searchable text (search_text), so a made-up
            -- body cannot hide an event that is not indexed yet from the words it holds.
            {RefuseFound(
                $"""
                select n.seq_id into bad from new_rows n
                  left join {s}.mt_events e on e.seq_id = n.seq_id and e.type not in ({snapshotTypesSql})
                 where n.seq_id <= (select indexed_upto from {s}.text_index_state where id = 1)
                    or e.seq_id is null
                    or n.body is distinct from {s}.search_text(e.data)
                 limit 1;
                """,
                "ledger: a text index row for #% refused: only events recorded and not yet indexed are indexed, with their own text")}
            return null;
            """);

        var watermarkMovesForward = OwnerPasses("ledger_text_watermark_moves_forward", "new", $"""
            if new.id is distinct from old.id or new.indexed_upto < old.indexed_upto
               or new.indexed_upto > (select coalesce(max(seq_id), 0) from {s}.mt_events) then
                raise exception 'ledger: the text index watermark may not move from % to %', old.indexed_upto, new.indexed_upto
                    using errcode = 'insufficient_privilege';
            end if;
            {RefuseFound(
                $"""
                select e.seq_id into bad from {s}.mt_events e
                 where e.seq_id > old.indexed_upto and e.seq_id <= new.indexed_upto and e.type not in ({snapshotTypesSql})
                   and not exists (select 1 from {s}.event_text t where t.seq_id = e.seq_id)
                 limit 1;
                """,
                "ledger: the text index watermark may not pass #%, which is not indexed")}
            return new;
            """);

        return $"""
            create or replace function {s}.ledger_owns(rel regclass) returns boolean language sql stable as $fn$
                select r.rolsuper or pg_has_role(current_user, c.relowner, 'MEMBER')
                from pg_roles r, pg_class c where r.rolname = current_user and c.oid = rel
            $fn$;

            {onlyGrows}

            {checksInsert}

            {watermarkMovesForward}

            create or replace trigger ledger_append_only before update or delete on {Text}
                for each row execute function {s}.ledger_text_index_only_grows();
            create or replace trigger ledger_append_only_truncate before truncate on {Text}
                for each statement execute function {s}.ledger_text_index_only_grows();
            create or replace trigger ledger_text_insert_check after insert on {Text}
                referencing new table as new_rows
                for each statement execute function {s}.ledger_text_index_checks_insert();
            create or replace trigger ledger_text_watermark before update on {State}
                for each row execute function {s}.ledger_text_watermark_moves_forward();
            create or replace trigger ledger_append_only before delete on {State}
                for each row execute function {s}.ledger_text_index_only_grows();
            create or replace trigger ledger_append_only_truncate before truncate on {State}
                for each statement execute function {s}.ledger_text_index_only_grows();
            alter table {Text} enable always trigger ledger_append_only;
            alter table {Text} enable always trigger ledger_append_only_truncate;
            alter table {Text} enable always trigger ledger_text_insert_check;
            alter table {State} enable always trigger ledger_text_watermark;
            alter table {State} enable always trigger ledger_append_only;
            alter table {State} enable always trigger ledger_append_only_truncate;
            """;
    }

    /// <summary>
    /// A guard trigger function: the tables' owner (or a superuser) passes, the function returning
    /// <paramref name="ownerReturns"/>; every other role runs <paramref name="checks"/>, which may
    /// use the variable <c>bad</c> (see <see cref="RefuseFound"/>).
    /// </summary>
    private static string OwnerPasses(string name, string ownerReturns, string checks)
    {
        var s = MartenConfig.Schema;
        return $"""
            create or replace function {s}.{name}() returns trigger language plpgsql as $fn$
            declare
                bad bigint;
            begin
                if {s}.ledger_owns(tg_relid) then
                    return {ownerReturns};
                end if;
            {Indent(checks)}
            end
            $fn$;
            """;
    }

    /// <summary>
    /// Runs <paramref name="find"/> (a select of one sequence number into <c>bad</c>) and refuses the
    /// statement when it finds one, with <paramref name="refusal"/> (its <c>%</c> is that number).
    /// </summary>
    private static string RefuseFound(string find, string refusal) =>
        $"""
        {find}
        if bad is not null then
            raise exception '{refusal}', bad
                using errcode = 'insufficient_privilege';
        end if;
        """;

    private static string Indent(string lines) => "    " + lines.Replace("\n", "\n    ", StringComparison.Ordinal);
}
