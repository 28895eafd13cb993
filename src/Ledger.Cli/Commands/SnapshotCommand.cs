using System.CommandLine;
using Ledger.Capture.Host;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class SnapshotCommand
{
    public static readonly string[] Kinds = ["storage", "system"];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var what = new Argument<string>("what") { Description = "What to snapshot: " + string.Join(", ", Kinds) + " or all" };
        what.AcceptOnlyFromAmong([.. Kinds, "all"]);
        var mount = new Option<string[]>("--mount") { Description = "storage: a mount to measure, PATH or PATH=TIER (repeatable; default: $LEDGER_HOME/storage.json, else /)" };
        var host = CommonOptions.RecordHost();
        var json = CommonOptions.Json();
        var command = new Command("snapshot", "Record the state of the GPU, containers, storage or system now") { what, mount, host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var kinds = r.GetValue(what) == "all" ? Kinds : [r.GetValue(what)!];
            await using var store = await ctx.OpenStoreAsync(ct);
            var recorded = new Recorded();
            var notes = new List<string>();
            foreach (var kind in kinds)
            {
                ILedgerEvent? e = kind switch
                {
                    "storage" => new StorageSnapshotTaken(hostName, ctx.Actor, StorageReader.Read(StorageConfig.Resolve(r.GetValue(mount) ?? [], ctx.Home))),
                    "system" => SystemReader.Read(hostName, ctx.Actor),
                    _ => throw new LedgerException($"Unknown snapshot kind '{kind}'."),
                };
                if (e is null)
                {
                    continue;
                }

                var seq = await store.AppendAsync(new NewEvent(StreamKeys.Snapshots(hostName, kind), e), ct);
                await recorded.AddAsync(store, seq, ct);
            }

            if (r.GetValue(json))
            {
                await recorded.WriteJsonAsync(ctx.Out);
            }
            else
            {
                foreach (var e in recorded.Entries)
                {
                    await ctx.Out.WriteLineAsync($"#{e.Seq} {e.Kind}: {e.Title}");
                }

                foreach (var n in notes)
                {
                    await ctx.Err.WriteLineAsync(n);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
