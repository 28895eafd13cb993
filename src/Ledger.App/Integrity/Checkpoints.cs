using System.Globalization;
using Ledger.Core.Errors;
using Ledger.Core.Integrity;
using Ledger.Store;
using Ledger.Store.Chain;

namespace Ledger.App.Integrity;

/// <summary>Seals, verifies and writes the chain's head as a checkpoint (optionally signed) to keep off the machine.</summary>
internal static class Checkpoints
{
    /// <summary>The checkpoint taken and how many events were sealed just before it.</summary>
    public sealed record Taken(Checkpoint Checkpoint, long SealedNow);

    /// <summary>
    /// Seals what is unsealed, verifies the whole chain and returns its head as a checkpoint,
    /// signed with <paramref name="signer"/> if given. A broken chain gets no checkpoint: one must
    /// not vouch for a tampered history.
    /// </summary>
    public static async Task<Taken> TakeAsync(LedgerStore store, CheckpointSigner? signer, CancellationToken ct)
    {
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
        return new Taken(signer is null ? checkpoint : signer.Sign(checkpoint), sealedNow.Sealed);
    }

    /// <summary>Writes the checkpoint's JSON to a temporary file beside <paramref name="path"/> and renames it over: all of it or nothing.</summary>
    public static void Write(string path, Checkpoint checkpoint)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, checkpoint.ToJson());
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
