using System.CommandLine;
using Ledger.App.Recording;
using Ledger.App.Rendering;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Commands;

internal static class TimelineCommand
{
    private const int PageSize = 1000;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var host = new Option<string?>("--host") { Description = "Only events about this host" };
        var affects = new Option<string?>("--affects") { Description = "Only events that can change this host: its own, and config edits (from any host) that touch its files or shared ones" };
        var kind = new Option<string[]>("--kind", "-k") { Description = "Only these kinds (repeatable): " + string.Join(", ", EventCatalogue.Kinds), AllowMultipleArgumentsPerToken = false };
        var since = new Option<string?>("--since") { Description = "From this date (YYYY-MM-DD, local) or ISO 8601 time" };
        var until = new Option<string?>("--until") { Description = "Up to this date (inclusive) or ISO 8601 time" };
        var grep = new Option<string?>("--grep", "-g") { Description = "Only events that show this text: a literal, case-insensitive substring of the payload's values (message, paths, diff lines, alert names and label values), never of its JSON keys or quoting" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many events to show", DefaultValueFactory = _ => 50 };
        var all = new Option<bool>("--all") { Description = "Show every matching event (read page by page)" };
        var before = new Option<long?>("--before") { Description = "Only events with a sequence number below this (the next page)" };
        var json = CommonOptions.Json();
        var command = new Command("timeline", "List events, newest first") { host, affects, kind, since, until, grep, limit, all, before, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var kinds = r.GetValue(kind) ?? [];
            foreach (var k in kinds)
            {
                if (!EventCatalogue.Kinds.Contains(k))
                {
                    throw new LedgerException($"Unknown kind '{k}'. Kinds are: {string.Join(", ", EventCatalogue.Kinds)}.");
                }
            }

            if (r.GetValue(limit) < 1)
            {
                throw new LedgerException("--limit must be at least 1 (use --all for everything).");
            }

            var zone = TimeZoneInfo.Local;
            var query = new TimelineQuery
            {
                Host = r.GetValue(host),
                Affects = r.GetValue(affects),
                Kinds = kinds,
                Since = r.GetValue(since) is { } s ? DateArgument.Parse(s, "--since", zone) : null,
                Until = r.GetValue(until) is { } u ? DateArgument.Parse(u, "--until", zone, endOfDay: true) : null,
                Grep = r.GetValue(grep),
                BeforeSeq = r.GetValue(before),
            };
            var everything = r.GetValue(all);
            var wanted = everything ? int.MaxValue : r.GetValue(limit);
            var asJson = r.GetValue(json);

            await using var store = await ctx.OpenStoreAsync(ct);
            if (asJson)
            {
                await ctx.Out.WriteAsync('[');
            }

            TextTable? table = null;

            int shown = 0;
            long? last = null;
            bool more = false;
            while (shown < wanted)
            {
                // One extra row tells whether there is a next page without counting the table.
                var take = Math.Min(PageSize, wanted - shown);
                var page = await store.TimelineAsync(query with { BeforeSeq = last ?? query.BeforeSeq, Limit = take + 1 }, ct);
                more = page.Count > take;
                if (!asJson && table is null && page.Count > 0)
                {
                    // Columns as wide as the first page needs; on a terminal the rows fit its width.
                    table = TextTable.For(page, showHost: query.Host is null, ctx.IsTerminal ? Math.Max(40, Console.WindowWidth) : null, zone);
                    await ctx.Out.WriteLineAsync(table.Header);
                }

                foreach (var e in page.Take(take))
                {
                    if (asJson)
                    {
                        await ctx.Out.WriteAsync((shown == 0 ? "\n  " : ",\n  ") + EntryJson.Serialize(e, indented: false));
                    }
                    else
                    {
                        await ctx.Out.WriteLineAsync(table!.Row(e));
                    }

                    shown++;
                    last = e.Seq;
                }

                if (!more)
                {
                    break;
                }
            }

            if (asJson)
            {
                await ctx.Out.WriteLineAsync(shown == 0 ? "]" : "\n]");
            }
            else if (shown == 0)
            {
                await ctx.Out.WriteLineAsync("(no events match)");
            }
            else if (more)
            {
                await ctx.Out.WriteLineAsync($"... more: add --before {last} for the next page, or --all.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
