using System.CommandLine;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Text;
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
            var (p, n, v) = (Clean(r.GetValue(purpose)), Clean(r.GetValue(notes)), Clean(r.GetValue(validation)));
            if (p is null && n is null && v is null)
            {
                throw new LedgerException("Nothing to annotate: give at least one of --purpose, --notes, --validation.");
            }

            var target = r.GetValue(seq);
            await using var store = await ctx.OpenStoreAsync(ct);
            var entry = await store.GetAsync(target, ct)
                ?? throw new LedgerException($"There is no event #{target}. Find the number with 'ledger timeline'.");
            var sha = entry.Data is ConfigEdited c ? c.Sha : null;

            // The annotation joins the annotated event's stream, so the change record folds it in.
            var annotation = new ChangeAnnotated(entry.Host, ctx.Actor, target, sha, p, n, v);
            var newSeq = await store.AppendAsync(new NewEvent(entry.StreamKey, annotation), ct);
            ctx.Log.Information("Annotated #{Target} as #{Seq}", target, newSeq);
            await ctx.Out.WriteLineAsync($"Annotated #{target} ({entry.Title}) as #{newSeq}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : Redactor.Default.Redact(text.Trim());
}
