using Ledger.Store.Fleet;
using static Ledger.Store.SqlCommands;

namespace Ledger.Store.Chain;

/// <summary>
/// Makes events and chain rows append-only: the triggers of <see cref="ChainSchema"/> and
/// <see cref="TextIndexGuards"/> (re-asserted here) and, for a separate application role, grants
/// that leave it SELECT and INSERT on them (and on the text index only what the indexer needs).
/// Must run as the tables' owner.
/// </summary>
internal static class AppendOnlyGuards
{
    private static readonly string[] Forbidden = ["UPDATE", "DELETE", "TRUNCATE"];

    public static async Task<GuardReport> InstallAsync(NpgsqlConnection conn, string? appRole, CancellationToken ct)
    {
        var s = MartenConfig.Schema;
        var me = await ScalarAsync<string>(conn, "select current_user::text", ct);
        var canBypass = await CanBypassAsync(conn, me, ct);
        if (!canBypass)
        {
            throw new StoreException(
                $"Connected as '{me}', which does not own the ledger tables: the guards can only be set up by their owner (or a superuser). " +
                "Run 'ledger init --db-guards' with the owner's connection string (--db).");
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, ChainSchema.Create(), ct);
        await ExecuteAsync(conn, TextIndexGuards.Create(LedgerStore.SnapshotTypesSql), ct);
        if (appRole is not null)
        {
            if (!await ScalarAsync<bool>(conn, "select exists (select 1 from pg_roles where rolname = $1)", ct, appRole))
            {
                throw new StoreException($"There is no role '{appRole}'. Create it first, e.g. CREATE ROLE {Quote(appRole)} LOGIN PASSWORD '...'; then run this again.");
            }

            if (await CanBypassAsync(conn, appRole, ct))
            {
                throw new StoreException(
                    $"'{appRole}' owns the ledger tables or is a superuser, so it could disable the triggers: the application role must be a plain role. " +
                    $"Create one (CREATE ROLE ledger_app LOGIN) and pass it to --app-role.");
            }

            await ExecuteAsync(conn, Grants(Quote(appRole)), ct);
        }

        // After the grants: the table of fleet hosts stays readable, never writable, by them.
        await ExecuteAsync(conn, FleetSchema.Create(), ct);
        await tx.CommitAsync(ct);

        var triggers = new List<string>();
        await using (var cmd = new NpgsqlCommand(
            $"""
            select c.relname, t.tgname, t.tgenabled::text from pg_trigger t
            join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = '{s}' and t.tgname like 'ledger\_%' order by 1, 2
            """,
            conn))
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var state = reader.GetString(2) switch
                {
                    "A" => "enabled always",
                    "O" => "enabled",
                    "R" => "replica only",
                    _ => "DISABLED",
                };
                triggers.Add($"{reader.GetString(0)}: {reader.GetString(1)} ({state})");
            }
        }

        var left = new List<string>();
        if (appRole is not null)
        {
            foreach (var table in ChainSchema.Guarded)
            {
                foreach (var right in Forbidden)
                {
                    if (await ScalarAsync<bool>(conn, "select has_table_privilege($1, $2, $3)", ct, appRole, table, right))
                    {
                        left.Add($"{right} on {table}");
                    }
                }
            }

            foreach (var (table, rights) in TextIndexGuards.Forbidden)
            {
                foreach (var right in rights)
                {
                    if (await ScalarAsync<bool>(conn, "select has_table_privilege($1, $2, $3)", ct, appRole, table, right))
                    {
                        left.Add($"{right} on {table}");
                    }
                }
            }
        }

        return new GuardReport(triggers, me, canBypass, appRole, left);
    }

    /// <summary>
    /// What an application role or a fleet host's role (<paramref name="r"/>, quoted) may do: read
    /// everything, append events, chain rows and the text index, update what Marten updates (stream
    /// versions, the daemon's progress), never UPDATE, DELETE or TRUNCATE history.
    /// </summary>
    internal static string Grants(string r)
    {
        var s = MartenConfig.Schema;
        var guarded = string.Join(", ", ChainSchema.Guarded);
        return $"""
            grant usage on schema {s} to {r};
            grant select, insert, update, delete on all tables in schema {s} to {r};
            revoke update, delete, truncate on {guarded} from {r};
            revoke all on {guarded} from public;
            revoke delete, truncate on {s}.mt_streams from {r};
            revoke insert, update, delete, truncate on {s}.ledger_meta from {r};
            {TextIndexGuards.Revoke(r)}
            grant usage, select on all sequences in schema {s} to {r};
            grant execute on all functions in schema {s} to {r};
            alter default privileges in schema {s} grant select, insert, update, delete on tables to {r};
            alter default privileges in schema {s} grant usage, select on sequences to {r};
            """;
    }

    /// <summary>Whether <paramref name="role"/> is a superuser or a member of the role that owns the events table.</summary>
    internal static Task<bool> CanBypassAsync(NpgsqlConnection conn, string role, CancellationToken ct) =>
        ScalarAsync<bool>(
            conn,
            $"""
            select r.rolsuper or pg_has_role(r.oid, c.relowner, 'MEMBER')
            from pg_roles r, pg_class c where r.rolname = $1 and c.oid = '{ChainSchema.Events}'::regclass
            """,
            ct,
            role);
}
