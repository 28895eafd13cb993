using System.CommandLine;
using System.Globalization;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Embedded;
using Ledger.Store.Spool;

namespace Ledger.Cli.Commands;

internal static class DbCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var json = CommonOptions.Json();
        var status = new Command("status", "Say where the database is and whether it runs (exit 1 when it does not)") { json };
        status.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var spool = new EventSpool(ctx.Home).Status();
            var now = DateTimeOffset.UtcNow;
            if (ctx.ExplicitDb is { } given)
            {
                LedgerStore store;
                try
                {
                    store = await ctx.OpenStoreAsync(ct);
                }
                catch (StoreException e) when (DatabaseErrors.IsUnreachable(e))
                {
                    // Said, with the spool, rather than thrown: this is the question db status answers.
                    var why = DatabaseErrors.DescribeUnreachable(e);
                    if (r.GetValue(json))
                    {
                        await ctx.Out.WriteLineAsync(ChainJson.Serialize(new { source = "connection-string", database = ConnectionStrings.Describe(given), state = "unreachable", reason = why, spool = SpoolJson(spool, now) }));
                        return ExitCodes.Failure;
                    }

                    await ctx.Out.WriteLineAsync($"database: {ConnectionStrings.Describe(given)} (from --db / LEDGER_DB)");
                    await ctx.Out.WriteLineAsync($"state:    unreachable ({why})");
                    await ctx.Out.WriteLineAsync(SpoolLine(spool, now));
                    return ExitCodes.Failure;
                }

                await using (store)
                {
                    var (count, backlog) = (await store.CountAsync(ct), await store.TextIndexBacklogAsync(ct));
                    if (r.GetValue(json))
                    {
                        await ctx.Out.WriteLineAsync(ChainJson.Serialize(new { source = "connection-string", database = store.Description, state = "reachable", events = count, textIndexBacklog = backlog, spool = SpoolJson(spool, now) }));
                        return ExitCodes.Success;
                    }

                    await ctx.Out.WriteLineAsync($"database: {store.Description} (from --db / LEDGER_DB)");
                    await ctx.Out.WriteLineAsync($"state:    reachable, {Plural.Of(count, "event")}");
                    await ctx.Out.WriteLineAsync(TextIndexLine(backlog));
                    await ctx.Out.WriteLineAsync(SpoolLine(spool, now));
                    return ExitCodes.Success;
                }
            }

            var pg = ctx.Embedded;
            var state = pg.State;
            long? events = null, waiting = null;
            if (state == ClusterState.Running)
            {
                await using var store = await Ledger.Store.LedgerStore.OpenAsync(pg.ConnectionString(), ct);
                (events, waiting) = (await store.CountAsync(ct), await store.TextIndexBacklogAsync(ct));
            }

            var exit = state == ClusterState.Running ? ExitCodes.Success : ExitCodes.Failure;
            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(ChainJson.Serialize(new
                {
                    source = "embedded",
                    home = pg.Home,
                    data = pg.DataDirectory,
                    socket = pg.SocketDirectory,
                    log = pg.LogFile,
                    runsAs = pg.ServiceUser,
                    state = state.ToString().ToLowerInvariant(),
                    events,
                    textIndexBacklog = waiting,
                    url = state == ClusterState.Running ? pg.Url() : null,
                    spool = SpoolJson(spool, now),
                }));
                return exit;
            }

            await ctx.Out.WriteLineAsync($"embedded: {pg.Home}");
            await ctx.Out.WriteLineAsync($"data:     {pg.DataDirectory}");
            await ctx.Out.WriteLineAsync($"socket:   {pg.SocketDirectory}");
            await ctx.Out.WriteLineAsync($"log:      {pg.LogFile}");
            if (pg.ServiceUser is not null)
            {
                await ctx.Out.WriteLineAsync($"runs as:  {pg.ServiceUser}");
            }

            await ctx.Out.WriteLineAsync($"state:    {state.ToString().ToLowerInvariant()}" + state switch
            {
                ClusterState.Absent => " (created on first use, or with 'ledger db start')",
                ClusterState.Stopped => " ('ledger db start' or any command starts it)",
                _ => "",
            });
            if (events is { } n && waiting is { } w)
            {
                await ctx.Out.WriteLineAsync($"events:   {n}");
                await ctx.Out.WriteLineAsync(TextIndexLine(w));
                await ctx.Out.WriteLineAsync($"url:      {pg.Url()}");
            }

            await ctx.Out.WriteLineAsync(SpoolLine(spool, now));
            return exit;
        });

        var start = new Command("start", "Create (first time) and start the embedded PostgreSQL");
        start.SetAction(async (r, ct) =>
        {
            var pg = EmbeddedOnly(context(r), "start");
            var was = pg.State;
            await pg.StartAsync(ct);
            await using (var store = await Ledger.Store.LedgerStore.OpenAsync(pg.ConnectionString(), ct))
            {
                // Opening creates the schema on first use.
            }

            await context(r).Out.WriteLineAsync(was switch
            {
                ClusterState.Running => $"Already running under {pg.Home}.",
                ClusterState.Absent => $"Created and started the embedded PostgreSQL under {pg.Home}.",
                _ => $"Started the embedded PostgreSQL under {pg.Home}.",
            });
            return ExitCodes.Success;
        });

        var stop = new Command("stop", "Stop the embedded PostgreSQL (data is kept)");
        stop.SetAction(async (r, ct) =>
        {
            var pg = EmbeddedOnly(context(r), "stop");
            var was = pg.State;
            await pg.StopAsync(ct);
            await context(r).Out.WriteLineAsync(was == ClusterState.Running ? $"Stopped the embedded PostgreSQL under {pg.Home}." : "Not running.");
            return ExitCodes.Success;
        });

        var url = new Command("url", "Print a connection URL for psql (starts the embedded database if needed)");
        url.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            if (ctx.ExplicitDb is not null)
            {
                await ctx.Out.WriteLineAsync(ctx.ExplicitDb);
                return ExitCodes.Success;
            }

            var pg = ctx.Embedded;
            await pg.StartAsync(ct);
            await ctx.Out.WriteLineAsync(pg.Url());
            return ExitCodes.Success;
        });

        return new Command("db", "Manage the database (the embedded PostgreSQL by default)") { status, start, stop, url };
    }

    /// <summary>Whether the free-text index has caught up with the appends (ledger serve keeps it so).</summary>
    private static string TextIndexLine(long waiting)
    {
        return waiting == 0
            ? "text:     index up to date"
            : $"text:     {Plural.Of(waiting, "event")} not in the text index yet (searches read them directly; 'ledger serve' indexes them, or the first search that finds over 5,000)";
    }

    /// <summary>What waits in the spool: events, size, the oldest's age, and that 'ledger sync' delivers them.</summary>
    private static string SpoolLine(SpoolStatus spool, DateTimeOffset now)
    {
        var rejected = spool.Rejected > 0 ? $"; {spool.Rejected} set aside in {Path.Combine(spool.Folder, "rejected")}" : "";
        return spool.OldestAge(now) is { } age
            ? $"spool:    {Plural.Of(spool.Events, "event")} ({Bytes(spool.Bytes)}), the oldest {DurationText.Format(age)} old, in {spool.Folder}; 'ledger sync' delivers them{rejected}"
            : $"spool:    empty{rejected}";
    }

    private static object SpoolJson(SpoolStatus spool, DateTimeOffset now) => new
    {
        folder = spool.Folder,
        events = spool.Events,
        bytes = spool.Bytes,
        oldest = spool.Oldest,
        oldestAgeSeconds = spool.OldestAge(now) is { } age ? (long?)age.TotalSeconds : null,
        rejected = spool.Rejected,
    };

    private static string Bytes(long n) => n switch
    {
        < 1024 => $"{n} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{n / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n / (1024.0 * 1024):0.#} MiB"),
    };

    private static EmbeddedPostgres EmbeddedOnly(CliContext ctx, string verb) =>
        ctx.ExplicitDb is null
            ? ctx.Embedded
            : throw new LedgerException($"'ledger db {verb}' manages the embedded database; --db / LEDGER_DB points at a server Ledger does not run. Unset it to use the embedded one.");
}
