using System.CommandLine;
using System.Globalization;
using Ledger.Core.Errors;
using Ledger.Core.Integrity;
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
            var sealedNow = await store.Chain.SealAsync(ct: ct);
            var report = await store.Chain.VerifyAsync(ct: ct);
            if (!report.Intact)
            {
                throw new LedgerException(
                    $"The chain is broken (first at #{report.FirstBrokenSeq}: {report.Problems[0].Message}) No checkpoint was written: a checkpoint must not vouch for a tampered history. Run 'ledger verify' for the details.",
                    ExitCodes.Failure);
            }

            var head = report.Head;
            var checkpoint = new Checkpoint(head.Seq, head.Hash, head.Events, DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            if (signer is not null)
            {
                checkpoint = signer.Sign(checkpoint);
            }

            ctx.Log.Information("Checkpoint #{Seq} {Hash}, signed: {Signed}", checkpoint.Seq, checkpoint.Hash, checkpoint.Signature is not null);
            if (r.GetValue(output) is not { } path)
            {
                await ctx.Out.WriteAsync(checkpoint.ToJson());
                return ExitCodes.Success;
            }

            WriteAtomically(path, checkpoint.ToJson());
            await ctx.Out.WriteLineAsync(
                $"Checkpoint #{checkpoint.Seq} ({CheckpointKeys.Abbreviate(checkpoint.Hash)}, {checkpoint.Events} events, {sealedNow.Sealed} sealed just now) written to {path}" +
                (checkpoint.Signature is { } s ? $", signed by key {CheckpointKeys.Abbreviate(s.PublicKey)}." : ", unsigned."));
            await ctx.Out.WriteLineAsync($"Keep a copy off this machine; later: ledger verify --checkpoint {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw new LedgerException($"Cannot write the checkpoint to {path}: {e.Message}", ExitCodes.UsageOrEnvironment, e);
        }
    }
}
