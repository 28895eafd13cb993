using System.CommandLine;
using System.Globalization;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Fleet;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger fleet add-host | remove-host | hosts</c>: many hosts on one central PostgreSQL, each
/// with a role that may append only its own events (enforced by the database, <see cref="FleetSchema"/>).
/// </summary>
internal static class FleetCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var fleet = new Command("fleet", "Hosts sharing one central database, each able to write only its own events")
        {
            AddHost(context),
            RemoveHost(context),
            Hosts(context),
        };
        return fleet;
    }

    private static Command AddHost(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME") { Description = "The host's name, as its events carry it (networking.hostName)" };
        var role = new Option<string?>("--role") { Description = "The login role to create (default: ledger_host_NAME)" };
        var address = new Option<string?>("--address") { Description = "HOST[:PORT] the host reaches the server at, when not the address of --db" };
        var sslMode = new Option<string?>("--ssl-mode") { Description = "TLS for the host's connection: verify-full (default over TCP), verify-ca, require, prefer or disable" };
        var rootCert = new Option<string?>("--root-cert") { Description = "The CA certificate file (a path on the host) its connection checks the server against; default: the host's system trust store" };
        var clientCert = new Option<string?>("--client-cert")
        {
            Description = "Log in with this TLS client certificate (a path on the host; its CN must be the role) instead of a password: the role gets none",
        };
        var clientKey = new Option<string?>("--client-key") { Description = "With --client-cert: its private key (a path on the host)" };
        var output = new Option<string?>("--out") { Description = "Write the connection string to this file (mode 0600, never overwritten) instead of printing it" };
        var json = CommonOptions.Json();
        var command = new Command("add-host", "Create a login role for a host that may read, append and seal, but append only events about itself; print its connection string (run with the owner's connection)")
        {
            name, role, address, sslMode, rootCert, clientCert, clientKey, output, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var host = r.GetValue(name)!;
            FleetAdmin.CheckHostName(host);
            var file = r.GetValue(output);
            if (file is not null && (File.Exists(file) || Directory.Exists(file)))
            {
                throw new LedgerException($"--out {file} exists: give a new file (a connection string is never overwritten), or remove it first.");
            }

            (string, string)? certificate = (r.GetValue(clientCert), r.GetValue(clientKey)) switch
            {
                (null, null) => null,
                ({ } c, { } k) => (c, k),
                _ => throw new LedgerException("--client-cert and --client-key go together: the certificate the host presents and its private key."),
            };
            if (certificate is not null && r.GetValue(sslMode) is { } mode && mode.Equals("disable", StringComparison.OrdinalIgnoreCase))
            {
                throw new LedgerException("A client certificate is presented over TLS: leave out --ssl-mode disable.");
            }

            var ownerConnection = await ctx.ConnectionStringAsync(ct);
            await using var store = await ctx.OpenStoreAsync(ct);
            var made = await store.Fleet.AddHostAsync(
                host,
                r.GetValue(role) ?? FleetAdmin.DefaultRole(host),
                (login, password) => HostConnection.Build(ownerConnection, login, password, r.GetValue(address), r.GetValue(sslMode), r.GetValue(rootCert), certificate),
                certificate is not null,
                ct);
            ctx.Log.Information("Fleet: added host {Host} with role {Role}", made.Host, made.Role);
            if (file is not null)
            {
                PrivateFile.WriteNew(file, System.Text.Encoding.UTF8.GetBytes(made.ConnectionString + "\n"), "a connection string");
            }

            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(ChainJson.Serialize(new
                {
                    host = made.Host,
                    role = made.Role,
                    connectionString = file is null ? made.ConnectionString : null,
                    file = file is null ? null : Path.GetFullPath(file),
                }));
                return ExitCodes.Success;
            }

            await ctx.Out.WriteLineAsync($"Host {made.Host} may now record as role {made.Role}: read, append and seal, and append only events about {made.Host}.");
            if (certificate is not null)
            {
                await ctx.Out.WriteLineAsync(
                    $"It has no password: it logs in with its client certificate. Issue one with CN={made.Role}, signed by the CA in the server's ssl_ca_file, " +
                    $"and allow it in pg_hba.conf: hostssl <database> {made.Role} <its address> cert");
            }

            if (file is not null)
            {
                await ctx.Out.WriteLineAsync($"Its connection string (with the password) is in {Path.GetFullPath(file)} (mode 0600). Copy it to {made.Host} and delete it here.");
            }
            else
            {
                await ctx.Out.WriteLineAsync(certificate is null ? "Its connection string, shown once (it holds the password; keep it secret):" : "Its connection string:");
                await ctx.Out.WriteLineAsync("  " + made.ConnectionString);
            }

            await ctx.Out.WriteLineAsync($"On {made.Host}, put it in a file only root can read and point Ledger at it:");
            await ctx.Out.WriteLineAsync("  NixOS:     services.ledger.database.connectionStringFile = \"/run/secrets/ledger-db\";");
            await ctx.Out.WriteLineAsync("  elsewhere: export LEDGER_DB=\"$(cat /run/secrets/ledger-db)\"");
            if (made.ConnectionString.Contains("SSL Mode=Disable", StringComparison.OrdinalIgnoreCase))
            {
                await ctx.Err.WriteLineAsync("ledger: warning: --ssl-mode disable: the password exchange is SCRAM, but the events cross the network unencrypted. Use it only on a trusted link.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RemoveHost(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string>("NAME") { Description = "The host whose role to drop" };
        var command = new Command("remove-host", "Drop a host's role (its events stay); run with the owner's connection") { name };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            await using var store = await ctx.OpenStoreAsync(ct);
            var host = r.GetValue(name)!;
            var role = await store.Fleet.RemoveHostAsync(host, ct);
            ctx.Log.Information("Fleet: removed host {Host} (role {Role})", host, role);
            await ctx.Out.WriteLineAsync($"Dropped role {role}: {host} can no longer connect or record. Its events stay in the ledger.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Hosts(Func<ParseResult, CliContext> context)
    {
        var json = CommonOptions.Json();
        var timeZone = CommonOptions.TimeZone();
        var command = new Command("hosts", "List the hosts: last event, last deploy and its outcome, open alerts, whether their events verify") { json, timeZone };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            await using var store = await ctx.OpenStoreAsync(ct);
            var hosts = await store.Fleet.HostsAsync(DateTimeOffset.UtcNow, verify: true, ct);
            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(ChainJson.Serialize(hosts.Select(h => new
                {
                    host = h.Host,
                    role = h.Role,
                    addedAt = h.AddedAt,
                    events = h.Events,
                    lastEvent = h.LastSeq is { } seq ? new { seq, at = h.LastAt, kind = Kind(h.LastType) } : null,
                    lastChange = h.LastChangeAt is { } changed ? new { at = changed, change = h.LastChange } : null,
                    lastDeploy = h.LastDeployAt is { } at ? new { at, outcome = h.LastDeployOutcome } : null,
                    openAlerts = h.OpenAlerts,
                    unsealed = h.Unsealed,
                    chainProblems = h.Problems,
                    verifies = h.Verifies,
                })));
                return hosts.All(h => h.Verifies) ? ExitCodes.Success : ExitCodes.Failure;
            }

            if (hosts.Count == 0)
            {
                await ctx.Out.WriteLineAsync("No hosts yet: add one with 'ledger fleet add-host NAME' (with the owner's connection), or record an event.");
                return ExitCodes.Success;
            }

            var zone = ctx.ResolveTimeZone(r.GetValue(timeZone));
            string When(DateTimeOffset? at) => at is { } t ? TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";
            var rows = hosts.Select(h => new[]
            {
                h.Host,
                h.Role ?? "(shared)",
                h.LastSeq is null ? "-" : $"{When(h.LastAt)} {EventCatalogue.ShortKind(Kind(h.LastType))}",
                h.LastDeployAt is null ? "-" : $"{When(h.LastDeployAt)} {h.LastDeployOutcome}",
                h.OpenAlerts.ToString(CultureInfo.InvariantCulture),
                h.Verifies ? (h.Unsealed > 0 ? $"ok, {h.Unsealed} unsealed" : "ok") : Plural.Of(h.Problems, "problem"),
            }).ToList();
            string[] header = ["HOST", "ROLE", "LAST EVENT", "LAST DEPLOY", "ALERTS", "CHAIN"];
            var widths = header.Select((title, i) => rows.Max(row => row[i].Length) is var w && w > title.Length ? w : title.Length).ToArray();
            await ctx.Out.WriteLineAsync($"Times in {zone.Id}.");
            foreach (var row in new[] { header }.Concat(rows))
            {
                await ctx.Out.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == 4 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
            }

            return hosts.All(h => h.Verifies) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string Kind(string? type) => type is not null && EventCatalogue.FindAlias(type) is { } d ? d.Kind : type ?? "";
}
