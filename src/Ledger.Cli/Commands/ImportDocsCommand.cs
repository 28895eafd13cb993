using System.CommandLine;
using Ledger.App.ChangeDocs;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Projections;

namespace Ledger.Cli.Commands;

internal static class ImportDocsCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var dir = new Argument<string>("dir") { Description = "Folder of hand-written change docs (*.md, searched recursively)" };
        var host = CommonOptions.ReadHost();
        var zone = CommonOptions.TimeZone();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be imported and record nothing" };
        var command = new Command("import-docs", "Turn hand-written change docs (the runbook template) into annotations of the matching changes") { dir, host, zone, dryRun };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var root = Path.GetFullPath(r.GetValue(dir)!);
            if (!Directory.Exists(root))
            {
                throw new LedgerException($"{root}: no such directory.");
            }

            var h = r.GetValue(host) ?? ctx.DefaultHost;
            var tz = ctx.ResolveTimeZone(r.GetValue(zone));
            var dry = r.GetValue(dryRun);
            await using var store = await ctx.OpenStoreAsync(ct);
            var changes = new List<ChangeRecord>();
            await foreach (var c in store.Changes.ReadAsync(h, ct: ct))
            {
                changes.Add(c);
            }

            var matcher = new ChangeDocMatcher(changes, tz);
            int imported = 0, already = 0, reported = 0, ledgerWritten = 0;
            foreach (var path in Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(root, path);
                var manifest = await GeneratedFiles.ReadManifestAsync(Path.GetDirectoryName(path)!, ct);
                if (manifest.Contains(Path.GetFileName(path)))
                {
                    ledgerWritten++;
                    continue;
                }

                var (docs, problems) = ChangeDocParser.Parse(name, await File.ReadAllTextAsync(path, ct));
                foreach (var p in problems)
                {
                    reported++;
                    await ctx.Out.WriteLineAsync($"REPORTED {p.File}:{p.Line}: {p.Message}");
                }

                foreach (var doc in docs)
                {
                    var (change, problem) = matcher.Match(doc);
                    if (change is null)
                    {
                        reported++;
                        await ctx.Out.WriteLineAsync($"REPORTED {doc.File}:{doc.Line}: '{doc.Title}': {problem}");
                        continue;
                    }

                    var annotation = ToAnnotation(doc, change, ctx.Actor);
                    var label = $"{doc.File}:{doc.Line} '{doc.Title}' -> #{change.Seq} {EventCatalogue.ShortSha(change.Commit.Sha)} {change.Subject}";
                    if (change.Annotations.Any(a => a.Purpose == annotation.Purpose && a.Notes == annotation.Notes && a.Validation == annotation.Validation))
                    {
                        already++;
                        await ctx.Out.WriteLineAsync($"already  {label}");
                        continue;
                    }

                    if (!dry)
                    {
                        await store.AppendAsync(new NewEvent(change.StreamKey, annotation), ct);
                    }

                    imported++;
                    await ctx.Out.WriteLineAsync($"imported {label}");
                }
            }

            await ctx.Out.WriteLineAsync(
                $"{imported} {(dry ? "would be imported" : "imported")}, {already} already imported, {reported} reported (not imported){(ledgerWritten > 0 ? $", {ledgerWritten} written by Ledger skipped" : "")}.");
            return reported > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static ChangeAnnotated ToAnnotation(ParsedChangeDoc doc, ChangeRecord change, string actor)
    {
        var notes = string.IsNullOrWhiteSpace(doc.Notes) || IsNone(doc.Notes) ? $"Imported from {doc.File}" : $"{doc.Notes}\n(imported from {doc.File})";
        var validation = string.IsNullOrWhiteSpace(doc.Validation) || IsNone(doc.Validation) || doc.Validation.Trim().Equals("not validated", StringComparison.OrdinalIgnoreCase)
            ? null
            : Redactor.Default.Redact(doc.Validation);
        var purpose = string.IsNullOrWhiteSpace(doc.Purpose) ? null : Redactor.Default.Redact(doc.Purpose);
        return new ChangeAnnotated(change.Commit.Host, actor, change.Seq, change.Commit.Sha, purpose, Redactor.Default.Redact(notes), validation);
    }

    private static bool IsNone(string text) => text.Trim() is "-" or "none" or "None" or "n/a" or "N/A";
}
