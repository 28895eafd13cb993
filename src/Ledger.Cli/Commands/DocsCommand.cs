using System.CommandLine;
using Ledger.App.ChangeDocs;
using Ledger.App.Rendering;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class DocsCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the change docs and INDEX.md into", Required = true };
        var view = HostView.Create();
        var templates = CommonOptions.Templates();
        var command = new Command("docs", "Write one Markdown change doc per recorded config change, and INDEX.md") { output, view.Host, templates, view.Zone };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var dir = Path.GetFullPath(r.GetValue(output)!);
            var (h, tz) = view.Resolve(r, ctx);
            var set = new Templates(r.GetValue(templates));

            await using var store = await ctx.OpenStoreAsync(ct);
            var files = await ChangeDocSet.RenderAsync(store, h, tz, set, ct);
            var result = await GeneratedFiles.WriteAsync(dir, files, ct);
            ctx.Log.Information("docs {Host}: {Docs} docs, {Written} written, {Removed} removed, {Refused} refused", h, files.Count - 1, result.Written, result.Removed.Count, result.Refused.Count);

            await ctx.Out.WriteLineAsync($"{files.Count - 1} change docs of host {h} and INDEX.md in {dir}: {result.Written} written, {result.Unchanged} unchanged, {result.Removed.Count} removed.");
            foreach (var name in result.Removed)
            {
                await ctx.Out.WriteLineAsync($"  removed {name} (written by Ledger before, no longer produced)");
            }

            foreach (var name in result.Refused)
            {
                await ctx.Err.WriteLineAsync($"ledger: {Path.Combine(dir, name)} exists and was not written by Ledger; it was left as it is. Move it away and run ledger docs again.");
            }

            return result.Refused.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
