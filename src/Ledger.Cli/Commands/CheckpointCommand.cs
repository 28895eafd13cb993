using System.CommandLine;
using Ledger.App.Integrity;
using Ledger.Core.Errors;
using Ledger.Core.Text;
using Ledger.Store.Chain;

namespace Ledger.Cli.Commands;

internal static class CheckpointCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var sign = new Option<string?>("--sign") { Description = "Sign the checkpoint with this Ed25519 private key (PEM, mode 0600)" };
        var output = new Option<string?>("--out", "-o") { Description = "Write the checkpoint to this file instead of standard output" };
        var newKey = new Option<string?>("--new-key") { Description = "Create a key pair instead: FILE (private, mode 0600) and FILE.pub; prints the public key" };
        var command = new Command("checkpoint", "Seal, verify, then write the chain's head (seq, hash, time) as JSON to keep off this machine") { sign, output, newKey };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            if (r.GetValue(newKey) is { } keyPath)
            {
                if (r.GetValue(sign) is not null || r.GetValue(output) is not null)
                {
                    throw new LedgerException("--new-key only creates a key pair; run 'ledger checkpoint --sign KEYFILE' afterwards.");
                }

                var publicKey = CheckpointKeys.CreateKeyPair(keyPath);
                await ctx.Out.WriteLineAsync($"Created the Ed25519 private key {keyPath} (mode 0600) and its public key {keyPath}.pub.");
                await ctx.Out.WriteLineAsync($"Public key: {publicKey}");
                await ctx.Out.WriteLineAsync("Keep the private key off the database server if you can; give the public key to whoever verifies (ledger verify --public-key).");
                return ExitCodes.Success;
            }

            // The key is read first: a bad key fails before anything is sealed.
            using var signer = r.GetValue(sign) is { } key ? CheckpointSigner.Open(key) : null;
            await using var store = await ctx.OpenStoreAsync(ct);
            var (checkpoint, sealedNow) = await Checkpoints.TakeAsync(store, signer, ct);
            ctx.Log.Information("Checkpoint #{Seq} {Hash}, signed: {Signed}", checkpoint.Seq, checkpoint.Hash, checkpoint.Signature is not null);
            if (r.GetValue(output) is not { } path)
            {
                await ctx.Out.WriteAsync(checkpoint.ToJson());
                return ExitCodes.Success;
            }

            Checkpoints.Write(path, checkpoint);
            await ctx.Out.WriteLineAsync(
                $"Checkpoint #{checkpoint.Seq} ({CheckpointKeys.Abbreviate(checkpoint.Hash)}, {Plural.Of(checkpoint.Events, "event")}, {sealedNow} sealed just now) written to {path}" +
                (checkpoint.Signature is { } s ? $", signed by key {CheckpointKeys.Abbreviate(s.PublicKey)}." : ", unsigned."));
            await ctx.Out.WriteLineAsync($"Keep a copy off this machine; later: ledger verify --checkpoint {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
