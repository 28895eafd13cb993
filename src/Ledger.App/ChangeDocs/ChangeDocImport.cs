using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Projections;

namespace Ledger.App.ChangeDocs;

/// <summary>Turns hand-written change docs (the runbook template) into annotations of the changes they describe.</summary>
internal static class ChangeDocImport
{
    /// <summary>How many docs were imported (or would be, in a dry run), were imported before, were reported, and were Ledger's own output (skipped).</summary>
    public sealed record Summary(int Imported, int Already, int Reported, int LedgerWritten);

    /// <summary>
    /// Reads every <c>*.md</c> under <paramref name="root"/> (skipping files Ledger generated),
    /// matches each doc to a recorded change of <paramref name="host"/> and annotates it, once.
    /// <paramref name="say"/> hears one line per doc: imported, already, or REPORTED with the reason.
    /// </summary>
    public static async Task<Summary> RunAsync(LedgerStore store, string root, string host, TimeZoneInfo tz, string actor, bool dry, Func<string, Task> say, CancellationToken ct)
    {
        var changes = new List<ChangeRecord>();
        await foreach (var c in store.Changes.ReadAsync(host, ct: ct))
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
                await say($"REPORTED {p.File}:{p.Line}: {p.Message}");
            }

            foreach (var doc in docs)
            {
                var (change, problem) = matcher.Match(doc);
                if (change is null)
                {
                    reported++;
                    await say($"REPORTED {doc.File}:{doc.Line}: '{doc.Title}': {problem}");
                    continue;
                }

                var annotation = ToAnnotation(doc, change, actor);
                var label = $"{doc.File}:{doc.Line} '{doc.Title}' -> #{change.Seq} {EventCatalogue.ShortSha(change.Commit.Sha)} {change.Subject}";
                if (change.Annotations.Any(a => a.Purpose == annotation.Purpose && a.Notes == annotation.Notes && a.Validation == annotation.Validation))
                {
                    already++;
                    await say($"already  {label}");
                    continue;
                }

                if (!dry)
                {
                    await store.AppendAsync(new NewEvent(change.StreamKey, annotation), ct);
                }

                imported++;
                await say($"imported {label}");
            }
        }

        return new Summary(imported, already, reported, ledgerWritten);
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
