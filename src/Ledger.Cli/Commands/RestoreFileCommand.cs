using System.CommandLine;
using Ledger.App.Backups;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class RestoreFileCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var path = new Argument<string>("path") { Description = "The file whose backed-up content to restore" };
        var at = new Option<long?>("--at") { Description = "Restore the content backed up at or before event SEQ (default: the latest backup)" };
        var to = new Option<string?>("--to") { Description = "Write to this path instead of PATH" };
        var host = CommonOptions.RecordHost();
        var json = CommonOptions.Json();
        var command = new Command("restore-file", "Put a backed-up file back, byte for byte with its mode (the current content is backed up first)") { path, at, to, host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var source = Path.GetFullPath(r.GetValue(path)!);
            var dest = Path.GetFullPath(r.GetValue(to) ?? source);
            FileRestore.CheckDestination(dest);
            await using var store = await ctx.OpenStoreAsync(ct);
            var done = await FileRestore.RestoreAsync(store, source, dest, r.GetValue(at), r.GetValue(host) ?? ctx.DefaultHost, ctx.Actor, ct);
            if (done.Restored is not { } restored)
            {
                await ctx.Out.WriteLineAsync($"{dest} already has the content of backup #{done.BackupSeq}; nothing to do.");
            }
            else if (r.GetValue(json))
            {
                await done.Recorded.WriteJsonAsync(ctx.Out);
            }
            else
            {
                if (done.Previous is { } p)
                {
                    await ctx.Out.WriteLineAsync($"The content it replaced is backup #{p}.");
                }

                await ctx.Out.WriteLineAsync($"#{restored} restored {dest} from backup #{done.BackupSeq} ({done.Backup.SizeBytes} bytes, sha256 {done.Backup.Sha256[..12]}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
