using System.CommandLine;
using Ledger.App.Recording;
using Ledger.Core.Errors;

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
            var newSeq = await Annotations.AppendAsync(store, entry, ctx.Actor, r.GetValue(purpose), r.GetValue(notes), r.GetValue(validation), ct);
            ctx.Log.Information("Annotated #{Target} as #{Seq}", target, newSeq);
            await ctx.Out.WriteLineAsync($"Annotated #{target} ({entry.Title}) as #{newSeq}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
