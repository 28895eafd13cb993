using System.CommandLine;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Store.Chain;

namespace Ledger.Cli.Commands;

internal static class SealCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var batch = new Option<int>("--batch") { Description = "Events chained per transaction", DefaultValueFactory = _ => LedgerChain.DefaultBatchSize };
        var json = CommonOptions.Json();
        var command = new Command("seal", "Chain every unsealed event into the hash chain (SHA-256, in sequence order)") { batch, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            if (r.GetValue(batch) < 1)
            {
                throw new LedgerException("--batch must be at least 1.");
            }

            await using var store = await ctx.OpenStoreAsync(ct);
            var result = await store.Chain.SealAsync(r.GetValue(batch), ct: ct);
            ctx.Log.Information("Sealed {Count} events; head #{Seq}", result.Sealed, result.Head.Seq);
            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(ChainJson.Serialize(new { @sealed = result.Sealed, head = ChainJson.Head(result.Head), unsealed = result.Unsealed, heldSeq = result.HeldSeq }));
                return ExitCodes.Success;
            }

            await ctx.Out.WriteLineAsync(
                $"Sealed {result.Sealed} event{(result.Sealed == 1 ? "" : "s")}; the chain holds {result.Head.Events} up to #{result.Head.Seq} (hash {CheckpointKeys.Abbreviate(result.Head.Hash)}).");
            if (result.HeldSeq is { } held)
            {
                await ctx.Out.WriteLineAsync($"{result.Unsealed} later event(s) wait behind #{held}, which a transaction that is still running may hold; run 'ledger seal' again once it has finished.");
            }
            else if (result.Unsealed > 0)
            {
                await ctx.Out.WriteLineAsync($"{result.Unsealed} event(s) were appended meanwhile and are not sealed yet.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
