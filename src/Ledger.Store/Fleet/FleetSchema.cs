using Ledger.Store.Chain;

namespace Ledger.Store.Fleet;

/// <summary>
/// The SQL that confines a host's role to its own events: the table of hosts and their roles, and
/// a trigger on the events table that refuses a statement inserting an event whose <c>host</c> is
/// not the inserting role's host.
/// </summary>
/// <remarks>
/// Enforced by the database, whatever the client: the trigger runs for Marten's appends, the hook's
/// COPY-free inserts and a raw <c>INSERT</c> alike, and it is <c>ENABLE ALWAYS</c> so that
/// <c>session_replication_role = replica</c> does not silence it; a host role, neither owner nor
/// superuser, cannot disable or drop it. The function is <c>SECURITY DEFINER</c> (it reads the
/// table of hosts with the owner's rights) and compares with <c>session_user</c>, the role that
/// logged in, which a <c>SET ROLE</c> cannot change. Roles not in the table (the owner, an
/// application role of one machine) pass: they are trusted with every host, as before.
/// </remarks>
internal static class FleetSchema
{
    public const string Hosts = MartenConfig.Schema + ".ledger_fleet_hosts";

    /// <summary>The SQLSTATE the trigger raises (class "LG", Ledger's own): a host role wrote for another host.</summary>
    public const string WrongHostState = "LGH01";

    /// <summary>The table, the function and the trigger. Idempotent: run with every schema change, by <c>init --db-guards</c> and by <c>fleet add-host</c>.</summary>
    public static string Create()
    {
        var s = MartenConfig.Schema;
        return $"""
            create table if not exists {Hosts} (
                host text primary key,
                role name not null unique,
                added_at timestamptz not null default now(),
                added_by text not null default session_user);
            revoke all on {Hosts} from public;
            -- Roles given rights on every table (init --db-guards --app-role, add-host) read it, never write it.
            do $do$
            declare g record;
            begin
                for g in select distinct a.grantee::regrole::text as grantee
                         from pg_class c, aclexplode(c.relacl) a
                         where c.oid = '{Hosts}'::regclass and a.grantee <> c.relowner and a.grantee <> 0 and a.privilege_type <> 'SELECT'
                loop
                    execute format('revoke insert, update, delete, truncate, references, trigger on {Hosts} from %s', g.grantee);
                end loop;
            end
            $do$;

            -- Once per statement, over the rows it inserted (a transition table), not once per row:
            -- a per-row call of this SECURITY DEFINER function, with its own search_path and its
            -- own query, cost an import some 14 us an event, a fifth of PostgreSQL's work for it
            -- (docs/performance.md, issue 19). An exception here aborts the whole statement, as
            -- the per-row check before it did: nothing of it is stored.
            drop trigger if exists ledger_host_only on {ChainSchema.Events};
            drop function if exists {s}.ledger_host_only();
            create or replace function {s}.ledger_host_only_rows() returns trigger
                language plpgsql security definer set search_path = pg_catalog, pg_temp as $fn$
            declare
                allowed text;
                other text;
            begin
                select h.host into allowed from {Hosts} h where h.role = session_user;
                if not found then
                    return null;
                end if;

                select coalesce(i.data->>'host', '(no host)') into other
                from ledger_inserted i where i.data->>'host' is distinct from allowed limit 1;
                if found then
                    raise exception 'role % may record events only for host %, not for %', session_user, allowed, other
                        using errcode = '{WrongHostState}',
                              hint = format('Record with --host %s (or LEDGER_HOST=%s), or use the connection string ledger fleet add-host made for the other host.', allowed, allowed);
                end if;

                return null;
            end
            $fn$;
            revoke all on function {s}.ledger_host_only_rows() from public;

            create trigger ledger_host_only after insert on {ChainSchema.Events}
                referencing new table as ledger_inserted
                for each statement execute function {s}.ledger_host_only_rows();
            alter table {ChainSchema.Events} enable always trigger ledger_host_only;
            """;
    }
}
