using System.CommandLine;
using Ledger.App.Integrity;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Text;
using Ledger.Store.Chain;

namespace Ledger.Cli.Commands;

internal static class VerifyCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var checkpointFile = new Option<string?>("--checkpoint") { Description = "A checkpoint written earlier by 'ledger checkpoint': the chain must still hold its sequence number with its hash" };
        var publicKey = new Option<string?>("--public-key") { Description = "The Ed25519 public key (64 hex digits, or KEYFILE.pub) the checkpoint must be signed with" };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Recompute the hash chain from the start and name the first broken sequence number (exit 1 on tamper)") { checkpointFile, publicKey, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var expected = ChainCheck.Read(r.GetValue(checkpointFile), r.GetValue(publicKey));
            await using var store = await ctx.OpenStoreAsync(ct);
            var result = await ChainCheck.VerifyAsync(store, expected, ct);
            var (report, checkpoint, signatureProblem) = result;
            if (!result.Ok)
            {
                ctx.Log.Warning("verify: tamper found, first broken seq {Seq}; signature: {Signature}", report.FirstBrokenSeq, signatureProblem ?? "ok");
            }

            if (r.GetValue(json))
            {
                await ctx.Out.WriteLineAsync(ChainJson.Serialize(new
                {
                    intact = result.Ok,
                    firstBrokenSeq = report.FirstBrokenSeq,
                    head = ChainJson.Head(report.Head),
                    unsealed = report.Unsealed,
                    problems = report.Problems.Select(p => new { seq = p.Seq, kind = p.Kind, message = p.Message }),
                    checkpoint = checkpoint is null ? null : new
                    {
                        seq = checkpoint.Seq,
                        hash = checkpoint.Hash,
                        time = checkpoint.Time,
                        signed = checkpoint.Signature is not null,
                        publicKey = checkpoint.Signature?.PublicKey,
                        signatureError = signatureProblem,
                        holds = result.CheckpointHolds,
                    },
                }));
                return result.Ok ? ExitCodes.Success : ExitCodes.Failure;
            }

            await WriteTextAsync(ctx.Out, result);
            return result.Ok ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task WriteTextAsync(TextWriter o, ChainCheck.Result result)
    {
        var (report, checkpoint, signatureProblem) = result;
        var head = report.Head;
        await o.WriteLineAsync(head.Events == 0
            ? "Chain: empty (nothing sealed yet)."
            : $"Chain: {Plural.Of(head.Events, "event")} sealed, head #{head.Seq} ({CheckpointKeys.Abbreviate(head.Hash)}).");
        if (report.Unsealed > 0)
        {
            await o.WriteLineAsync($"Not sealed yet: {report.Unsealed} event(s) after #{head.Seq} (run 'ledger seal'); they are not covered by this check.");
        }

        if (checkpoint is not null)
        {
            var signer = checkpoint.Signature is { } s ? $"signed by key {CheckpointKeys.Abbreviate(s.PublicKey)}" : "unsigned";
            await o.WriteLineAsync($"Checkpoint: #{checkpoint.Seq} of {checkpoint.Time}, {signer}: {(result.CheckpointHolds ? "the chain still holds it" : "NOT HELD")}.");
            if (signatureProblem is not null)
            {
                await o.WriteLineAsync($"SIGNATURE INVALID: {signatureProblem}");
            }
        }

        if (report.Intact)
        {
            await o.WriteLineAsync(signatureProblem is null ? "Intact." : "The chain is intact, but the checkpoint cannot be trusted.");
            return;
        }

        await o.WriteLineAsync($"TAMPERED: the first broken sequence number is #{report.FirstBrokenSeq}.");
        foreach (var p in report.Problems)
        {
            await o.WriteLineAsync($"  #{p.Seq}: {p.Message}");
        }

        if (report.Problems.Count == ChainReport.MaxProblems)
        {
            await o.WriteLineAsync($"  (only the first {ChainReport.MaxProblems} are listed)");
        }
    }
}
