using System.Text.RegularExpressions;
using Ledger.Core.Errors;
using Ledger.Store.Chain;
using static Ledger.Store.SqlCommands;

namespace Ledger.Store.Fleet;

/// <summary>
/// The fleet on one central PostgreSQL: a login role per host that may read, append and seal, but
/// append only events about its own host (<see cref="FleetSchema"/>). Adding and removing hosts
/// needs the owner's connection; listing them any role that may read.
/// </summary>
public sealed partial class FleetAdmin
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly LedgerStore _store;

    internal FleetAdmin(NpgsqlDataSource dataSource, LedgerStore store)
    {
        _dataSource = dataSource;
        _store = store;
    }

    /// <summary>The role <c>fleet add-host</c> makes for <paramref name="host"/> unless told otherwise.</summary>
    public static string DefaultRole(string host) => "ledger_host_" + host;

    /// <summary>
    /// Makes <paramref name="role"/> (a login role with a new random password, stored as a SCRAM
    /// verifier) for <paramref name="host"/>, grants it what a host needs (read, append, seal; no
    /// UPDATE, DELETE or TRUNCATE) and confines its appends to <paramref name="host"/>, all in one
    /// transaction. Returns the connection string the host records with.
    /// </summary>
    /// <param name="connectAs">Builds the host's connection string from the role and its password (null: it logs in with a client certificate).</param>
    /// <param name="clientCertificate">The role has no password: the host logs in with a TLS client certificate whose CN is the role (pg_hba <c>cert</c>).</param>
    public async Task<HostCredentials> AddHostAsync(string host, string role, Func<string, string?, string> connectAs, bool clientCertificate = false, CancellationToken ct = default)
    {
        CheckHostName(host);
        if (role.Length is 0 or > 63)
        {
            throw new StoreException($"The role name '{role}' must have 1 to 63 characters: give a shorter one with --role.");
        }

        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await RequireOwnerAsync(conn, "add a host", ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, FleetSchema.Create(), ct);
        if (await ScalarAsync<string?>(conn, $"select role::text from {FleetSchema.Hosts} where host = $1", ct, host) is { } existing)
        {
            throw new StoreException(
                $"Host '{host}' already has its role '{existing}'. To give it a new password, run 'ledger fleet remove-host {host}' and add it again.");
        }

        if (await ScalarAsync<bool>(conn, "select exists (select 1 from pg_roles where rolname = $1)", ct, role))
        {
            throw new StoreException($"A role '{role}' exists already. Name another with --role, or drop that role first.");
        }

        var password = clientCertificate ? null : ScramVerifier.NewPassword();
        var r = Quote(role);
        if (!await ScalarAsync<bool>(conn, "select rolsuper or rolcreaterole from pg_roles where rolname = current_user", ct))
        {
            var me = await ScalarAsync<string>(conn, "select current_user::text", ct);
            throw new StoreException(
                $"Role '{me}' owns the ledger but may not create roles. As a superuser, run ALTER ROLE {Quote(me)} CREATEROLE; once, " +
                "or run 'ledger fleet add-host' with a superuser's connection string (--db).",
                ExitCodes.UsageOrEnvironment);
        }

        await ExecuteAsync(
            conn,
            $"""
            create role {r} login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls password {(password is null ? "null" : $"'{ScramVerifier.For(password)}'")};
            {AppendOnlyGuards.Grants(r)}
            revoke all on {FleetSchema.Hosts} from {r};
            grant select on {FleetSchema.Hosts} to {r};
            insert into {FleetSchema.Hosts} (host, role) values ('{host}', '{role.Replace("'", "''", StringComparison.Ordinal)}');
            """,
            ct);
        await tx.CommitAsync(ct);
        return new HostCredentials(host, role, connectAs(role, password));
    }

    /// <summary>
    /// Drops <paramref name="host"/>'s role (its sessions ended where the owner may end them) and
    /// its row; its events stay. Returns the role that was dropped.
    /// </summary>
    public async Task<string> RemoveHostAsync(string host, CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await RequireOwnerAsync(conn, "remove a host", ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, FleetSchema.Create(), ct);
        var role = await ScalarAsync<string?>(conn, $"select role::text from {FleetSchema.Hosts} where host = $1", ct, host)
            ?? throw new StoreException($"Host '{host}' has no role of its own ('ledger fleet hosts' lists the hosts and their roles).");
        var r = Quote(role);
        await ExecuteAsync(
            conn,
            $"""
            delete from {FleetSchema.Hosts} where host = '{host.Replace("'", "''", StringComparison.Ordinal)}';
            revoke all on all tables in schema {MartenConfig.Schema} from {r};
            revoke all on all sequences in schema {MartenConfig.Schema} from {r};
            revoke all on all functions in schema {MartenConfig.Schema} from {r};
            revoke all on schema {MartenConfig.Schema} from {r};
            alter default privileges in schema {MartenConfig.Schema} revoke all on tables from {r};
            alter default privileges in schema {MartenConfig.Schema} revoke all on sequences from {r};
            drop role {r};
            """,
            ct);
        await tx.CommitAsync(ct);

        // Sessions still open keep their rights until they end; end them where this role may.
        await using var end = new NpgsqlCommand("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where usename = $1) t", conn);
        end.Parameters.AddWithValue(role);
        try
        {
            await end.ExecuteScalarAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // Not a superuser nor in pg_signal_backend: the sessions end on their own.
        }

        return role;
    }

    /// <summary>
    /// Every host with a role or with events: its last event, last deploy and its outcome, open
    /// alerts, and whether its events verify (one walk of the chain for all of them; with
    /// <paramref name="verify"/> false, no walk: every host counts as verifying).
    /// </summary>
    public async Task<IReadOnlyList<FleetHost>> HostsAsync(DateTimeOffset now, bool verify = true, CancellationToken ct = default)
    {
        var s = MartenConfig.Schema;
        var rows = new Dictionary<string, (string? Role, DateTimeOffset? Added, long Events, long? LastSeq, DateTimeOffset? LastAt, string? LastType, DateTimeOffset? ChangeAt, string? Change, DateTimeOffset? DeployAt, string? Outcome)>(StringComparer.Ordinal);
        await using (var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct))
        {
            if (await ScalarAsync<bool>(conn, $"select to_regclass('{FleetSchema.Hosts}') is not null", ct))
            {
                await ReadAsync(conn, $"select host, role::text, added_at from {FleetSchema.Hosts}", r =>
                    rows[r.GetString(0)] = (r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), 0, null, null, null, null, null, null, null), ct);
            }

            await ReadAsync(
                conn,
                $"""
                select distinct on (data->>'host') data->>'host', seq_id, timestamp, type, count(*) over (partition by data->>'host')
                from {s}.mt_events where data->>'host' is not null and {LedgerStore.VisibleSql}
                order by data->>'host', seq_id desc
                """,
                r =>
                {
                    var host = r.GetString(0);
                    var known = rows.GetValueOrDefault(host);
                    rows[host] = known with { Events = r.GetInt64(4), LastSeq = r.GetInt64(1), LastAt = r.GetFieldValue<DateTimeOffset>(2), LastType = r.GetString(3) };
                },
                ct);
            await ReadAsync(
                conn,
                $"""
                select distinct on (data->>'host') data->>'host', timestamp, data->>'sha', coalesce(data->>'purpose', data->>'message')
                from {s}.mt_events where type = 'config_edited' and {LedgerStore.VisibleSql}
                order by data->>'host', seq_id desc
                """,
                r =>
                {
                    var host = r.GetString(0);
                    var known = rows.GetValueOrDefault(host);
                    var sha = r.IsDBNull(2) ? "" : Ledger.Core.Events.EventCatalogue.ShortSha(r.GetString(2));
                    var purpose = r.IsDBNull(3) ? "" : r.GetString(3).Split('\n')[0].Trim();
                    rows[host] = known with { ChangeAt = r.GetFieldValue<DateTimeOffset>(1), Change = $"{sha} {purpose}".Trim() };
                },
                ct);
            await ReadAsync(
                conn,
                $"""
                select distinct on (data->>'host') data->>'host', timestamp, data->>'outcome'
                from {s}.mt_events where type = 'deploy_finished' and {LedgerStore.VisibleSql}
                order by data->>'host', seq_id desc
                """,
                r =>
                {
                    var host = r.GetString(0);
                    var known = rows.GetValueOrDefault(host);
                    rows[host] = known with { DeployAt = r.GetFieldValue<DateTimeOffset>(1), Outcome = r.IsDBNull(2) ? null : Describe(r.GetString(2)) };
                },
                ct);
        }

        var report = verify ? await _store.Chain.VerifyAsync(ct: ct) : new ChainReport((await _store.Chain.HeadAsync(ct)), 0, []);
        var problemsAt = await HostsOfAsync(report.Problems.Select(p => p.Seq).Distinct().ToArray(), ct);
        var unsealed = await UnsealedPerHostAsync(report.Head.Seq, ct);
        var result = new List<FleetHost>();
        foreach (var (host, x) in rows.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var open = (await _store.Monthly.OpenAlertsAsync(host, now, ct)).Count;
            result.Add(new FleetHost(
                host, x.Role, x.Added, x.Events, x.LastSeq, x.LastAt, x.LastType, x.ChangeAt, x.Change, x.DeployAt, x.Outcome, open,
                unsealed.GetValueOrDefault(host), report.Problems.Count(p => problemsAt.GetValueOrDefault(p.Seq) == host)));
        }

        return result;
    }

    /// <summary>Refuses a host name that could not be a NixOS networking.hostName (and so a role suffix).</summary>
    public static void CheckHostName(string host)
    {
        if (!HostName().IsMatch(host))
        {
            throw new StoreException(
                $"'{host}' is not a host name Ledger can give a role: use letters, digits, '.', '_' and '-' (at most 63, starting with a letter or digit), as networking.hostName does.");
        }
    }

    private async Task<Dictionary<long, string>> HostsOfAsync(long[] seqs, CancellationToken ct)
    {
        var found = new Dictionary<long, string>();
        if (seqs.Length == 0)
        {
            return found;
        }

        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select seq_id, data->>'host' from {MartenConfig.Schema}.mt_events where seq_id = any($1)", conn);
        cmd.Parameters.AddWithValue(seqs);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            found[r.GetInt64(0)] = r.IsDBNull(1) ? "" : r.GetString(1);
        }

        return found;
    }

    private async Task<Dictionary<string, long>> UnsealedPerHostAsync(long head, CancellationToken ct)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await ReadAsync(
            conn,
            $"select data->>'host', count(*) from {MartenConfig.Schema}.mt_events where seq_id > {head} and data->>'host' is not null group by 1",
            r => found[r.GetString(0)] = r.GetInt64(1),
            ct);
        return found;
    }

    private static string Describe(string outcome) =>
        Enum.TryParse<DeployOutcome>(outcome, ignoreCase: true, out var o) ? o.Describe() : outcome;

    private static async Task RequireOwnerAsync(NpgsqlConnection conn, string what, CancellationToken ct)
    {
        var me = await ScalarAsync<string>(conn, "select current_user::text", ct);
        if (!await AppendOnlyGuards.CanBypassAsync(conn, me, ct))
        {
            throw new StoreException(
                $"Connected as '{me}', which does not own the ledger's tables: only the owner (or a superuser) can {what}. " +
                "Run it with the owner's connection string (--db).",
                ExitCodes.UsageOrEnvironment);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex HostName();
}
