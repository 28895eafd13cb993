using System.CommandLine;
using System.Text;
using Ledger.App.Rendering;
using Ledger.App.Reports;
using Ledger.Core.Errors;
using Ledger.Core.Reports;

namespace Ledger.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var month = new Option<string>("--month", "-m") { Description = "The month, YYYY-MM (in the host's time zone)", Required = true };
        var view = HostView.Create();
        var format = new Option<string>("--format", "-f") { Description = "md, html or json", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "html", "json");
        var output = new Option<string?>("--out", "-o") { Description = "File to write (default: standard output); a folder (existing, or ending in /) gets HOST-YYYY-MM.FORMAT inside it" };
        var docs = new Option<string?>("--docs") { Description = "Folder of the change docs the report links to (default: the first that holds docs written by ledger docs: the report's folder, a docs folder beside it, docs/ in the changes' repository)" };
        var templates = CommonOptions.Templates();
        var monthly = new Command("monthly", "The monthly review of one host: changes, deploys, validations, alerts, GPU, containers, storage, backups, checklist")
        {
            month, view.Host, format, output, docs, templates, view.Zone,
        };
        monthly.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var m = ReportMonth.Parse(r.GetValue(month)!);
            var (h, tz) = view.Resolve(r, ctx);
            var fmt = r.GetValue(format)!;
            var set = new Templates(r.GetValue(templates));

            var given = r.GetValue(output);
            var file = given is null ? null : Path.GetFullPath(given);
            if (file is not null && (Directory.Exists(file) || given!.EndsWith('/')))
            {
                file = Path.Combine(file, $"{h}-{m}.{fmt}");
            }

            var reportDir = file is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(file)!;
            var givenDocs = r.GetValue(docs) is { } d ? Path.GetFullPath(d) : null;
            string? docsDir = null;
            string DocsLink(IReadOnlyList<string> repos)
            {
                docsDir = givenDocs ?? ReportDocs.DefaultFolder(reportDir, repos);
                return ReportRenderer.DocsLink(reportDir, docsDir);
            }

            await using var store = await ctx.OpenStoreAsync(ct);
            var model = await MonthlyReportBuilder.BuildAsync(store, h, m, tz, DocsLink, fmt == "html", ct);
            var text = ReportRenderer.Render(set, model, fmt);
            if (file is null)
            {
                await ctx.Out.WriteAsync(text);
            }
            else
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                    await File.WriteAllTextAsync(file, text, new UTF8Encoding(false), ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new LedgerException($"Cannot write {file}: {e.Message}");
                }
                await ctx.Out.WriteLineAsync($"Wrote the {fmt} report of {h} for {m} to {file}.");
            }

            if (docsDir is not null && fmt != "json" && !ReportDocs.HoldsDocs(docsDir))
            {
                await ctx.Err.WriteLineAsync($"ledger: the report links to change docs in {docsDir}, which holds none yet: write them with 'ledger docs --out {docsDir}', or say where they are with --docs DIR.");
            }

            return ExitCodes.Success;
        });

        return new Command("report", "Reports rendered from the recorded events") { monthly };
    }
}
