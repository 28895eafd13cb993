using System.CommandLine;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class AnnotateCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var seq = new Argument<long>("seq") { Description = "Sequence number of the event to annotate (see 'ledger timeline')" };
        var purpose = new Option<string?>("--purpose") { Description = "Why the change was made" };
        var notes = new Option<string?>("--notes") { Description = "Links, references, follow-ups" };
        var validation = new Option<string?>("--validation") { Description = "How it was confirmed to work (manual validation)" };
        var command = new Command("annotate", "Add purpose, notes or a manual validation to a recorded event") { seq, purpose, notes, validation };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var target = r.GetValue(seq);
            await using var store = await ctx.OpenStoreAsync(ct);
            var entry = await store.GetAsync(target, ct)
                ?? throw new LedgerException($"There is no event #{target}. Find the number with 'ledger timeline'.");
            var newSeq = await AppendAsync(store, entry, ctx.Actor, r.GetValue(purpose), r.GetValue(notes), r.GetValue(validation), ct);
            ctx.Log.Information("Annotated #{Target} as #{Seq}", target, newSeq);
            await ctx.Out.WriteLineAsync($"Annotated #{target} ({entry.Title}) as #{newSeq}.");
            return ExitCodes.Success;
        });
        return command;
    }

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
