using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.App.Recording;

/// <summary>Annotations: the purpose, notes and manual validation an admin adds to a recorded event.</summary>
internal static class Annotations
{
    /// <summary>
    /// Appends the annotation of <paramref name="entry"/> (also what <c>a</c> in the TUI does): text
    /// trimmed and redacted, blanks dropped, at least one of the three required.
    /// </summary>
    public static async Task<long> AppendAsync(LedgerStore store, TimelineEntry entry, string actor, string? purpose, string? notes, string? validation, CancellationToken ct)
    {
        var (p, n, v) = (Clean(purpose), Clean(notes), Clean(validation));
        if (p is null && n is null && v is null)
        {
            throw new LedgerException("Nothing to annotate: give at least one of --purpose, --notes, --validation.");
        }

        var sha = entry.Data is ConfigEdited c ? c.Sha : null;

        // The annotation joins the annotated event's stream, so the change record folds it in.
        var annotation = new ChangeAnnotated(entry.Host, actor, entry.Seq, sha, p, n, v);
        return await store.AppendAsync(new NewEvent(entry.StreamKey, annotation), ct);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : Redactor.Default.Redact(text.Trim());
}
