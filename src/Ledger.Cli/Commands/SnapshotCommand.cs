using System.CommandLine;
using Ledger.App.Snapshots;
using Ledger.Capture.Gpu;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class SnapshotCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var what = new Argument<string>("what") { Description = "What to snapshot: " + string.Join(", ", Snapshotter.Kinds) + " or all" };
        what.AcceptOnlyFromAmong([.. Snapshotter.Kinds, "all"]);
        var mount = new Option<string[]>("--mount") { Description = "storage: a mount to measure, PATH or PATH=TIER (repeatable; default: $LEDGER_HOME/storage.json, else /)" };
        var source = new Option<GpuSource>("--gpu-source") { Description = "gpu: Auto (NVML, then nvidia-smi), Nvml or NvidiaSmi", DefaultValueFactory = _ => GpuSource.Auto };
        var host = CommonOptions.RecordHost();
        var json = CommonOptions.Json();
        var command = new Command("snapshot", "Record the state of the GPU, containers, storage or system now") { what, mount, source, host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var kinds = r.GetValue(what) == "all" ? Snapshotter.Kinds : [r.GetValue(what)!];
            var mounts = StorageConfig.Resolve(r.GetValue(mount) ?? [], ctx.Home);
            await using var store = await ctx.OpenStoreAsync(ct);
            // "all" records what this machine has and says what it skipped; one named kind must work or fail.
            var programs = ctx.Programs with { GpuOptions = ctx.Programs.GpuOptions with { Source = r.GetValue(source) } };
            var taken = await Snapshotter.TakeAsync(store, kinds, hostName, ctx.Actor, programs, mounts, ct, skipUnavailable: kinds.Length > 1);
            if (r.GetValue(json))
            {
                await taken.Recorded.WriteJsonAsync(ctx.Out);
            }
            else
            {
                foreach (var e in taken.Recorded.Entries)
                {
                    await ctx.Out.WriteLineAsync($"#{e.Seq} {e.Kind}: {e.Title}");
                }

                foreach (var line in taken.Notes)
                {
                    await ctx.Out.WriteLineAsync("  " + line);
                }
            }

            foreach (var skipped in taken.Skipped)
            {
                await ctx.Err.WriteLineAsync($"skipped {skipped}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
