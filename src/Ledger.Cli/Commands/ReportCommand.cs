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
        var fleet = new Option<bool>("--fleet") { Description = "Every host of the ledger: one report per host in the --out folder, and fleet-YYYY-MM.FORMAT with one line per host linking to them" };
        var monthly = new Command("monthly", "The monthly review of one host (or with --fleet, of every host): changes, deploys, validations, alerts, GPU, containers, storage, backups, checklist")
        {
            month, view.Host, format, output, docs, templates, view.Zone, fleet,
        };
        monthly.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var m = ReportMonth.Parse(r.GetValue(month)!);
            var (h, tz) = view.Resolve(r, ctx);
            var fmt = r.GetValue(format)!;
            var set = new Templates(r.GetValue(templates));
            if (r.GetValue(fleet))
            {
                return await FleetAsync(ctx, r.GetValue(view.Host), r.GetValue(output), m, tz, fmt, set, r.GetValue(docs), ct);
            }

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

    /// <summary>
    /// <c>--fleet</c>: the report of every host with events, each as <c>HOST-YYYY-MM.FORMAT</c> in
    /// the folder, and the fleet's page <c>fleet-YYYY-MM.FORMAT</c> beside them.
    /// </summary>
    private static async Task<int> FleetAsync(CliContext ctx, string? host, string? output, ReportMonth m, TimeZoneInfo tz, string fmt, Templates set, string? docs, CancellationToken ct)
    {
        if (host is not null)
        {
            throw new LedgerException("--fleet reports on every host: leave out --host (or leave out --fleet for one host's report).");
        }

        if (output is null)
        {
            throw new LedgerException("--fleet writes one file per host: give the folder with --out DIR.");
        }

        var folder = Path.GetFullPath(output);
        if (File.Exists(folder))
        {
            throw new LedgerException($"--out {output} is a file; --fleet needs a folder for one report per host.");
        }

        await using var store = await ctx.OpenStoreAsync(ct);
        var hosts = (await store.Fleet.HostsAsync(DateTimeOffset.UtcNow, verify: false, ct)).Where(h => h.Events > 0).Select(h => h.Host).ToList();
        if (hosts.Count == 0)
        {
            throw new LedgerException("No host has events yet: there is nothing to report.");
        }

        var givenDocs = docs is { } d ? Path.GetFullPath(d) : null;
        var rows = new List<FleetReportIndex.Row>();
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var h in hosts)
            {
                var model = await MonthlyReportBuilder.BuildAsync(store, h, m, tz, repos => ReportRenderer.DocsLink(folder, givenDocs ?? ReportDocs.DefaultFolder(folder, repos)), fmt == "html", ct);
                var name = $"{h}-{m}.{fmt}";
                await File.WriteAllTextAsync(Path.Combine(folder, name), ReportRenderer.Render(set, model, fmt), new UTF8Encoding(false), ct);
                rows.Add(FleetReportIndex.RowOf(model, name));
            }

            var index = Path.Combine(folder, $"fleet-{m}.{fmt}");
            await File.WriteAllTextAsync(index, FleetReportIndex.Render(m.ToString(), tz.Id, rows, fmt), new UTF8Encoding(false), ct);
            await ctx.Out.WriteLineAsync($"Wrote the {fmt} reports of {rows.Count} host{(rows.Count == 1 ? "" : "s")} for {m} to {folder}, and the fleet's page {Path.GetFileName(index)}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Cannot write to {folder}: {e.Message}");
        }

        return ExitCodes.Success;
    }
}
