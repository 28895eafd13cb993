using System.CommandLine;
using Ledger.App.ChangeDocs;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class ImportDocsCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var dir = new Argument<string>("dir") { Description = "Folder of hand-written change docs (*.md, searched recursively)" };
        var view = HostView.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be imported and record nothing" };
        var command = new Command("import-docs", "Turn hand-written change docs (the runbook template) into annotations of the matching changes") { dir, view.Host, view.Zone, dryRun };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var root = Path.GetFullPath(r.GetValue(dir)!);
            if (!Directory.Exists(root))
            {
                throw new LedgerException($"{root}: no such directory.");
            }

            var (h, tz) = view.Resolve(r, ctx);
            var dry = r.GetValue(dryRun);
            await using var store = await ctx.OpenStoreAsync(ct);
            var (imported, already, reported, ledgerWritten) = await ChangeDocImport.RunAsync(store, root, h, tz, ctx.Actor, dry, line => ctx.Out.WriteLineAsync(line), ct);
            await ctx.Out.WriteLineAsync(
                $"{imported} {(dry ? "would be imported" : "imported")}, {already} already imported, {reported} reported (not imported){(ledgerWritten > 0 ? $", {ledgerWritten} written by Ledger skipped" : "")}.");
            return reported > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
