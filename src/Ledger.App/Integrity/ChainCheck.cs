using Ledger.Core.Errors;
using Ledger.Core.Integrity;
using Ledger.Store;
using Ledger.Store.Chain;

namespace Ledger.App.Integrity;

/// <summary>Verifies the hash chain, optionally against a checkpoint kept off the machine and the key it must be signed with.</summary>
internal static class ChainCheck
{
    /// <summary>
    /// The chain's report, the checkpoint checked against (if any) and why its signature cannot be
    /// trusted (null when it can, or when there is none).
    /// </summary>
    public sealed record Result(ChainReport Report, Checkpoint? Checkpoint, string? SignatureProblem)
    {
        /// <summary>The chain is intact and the checkpoint, if given, is trustworthy.</summary>
        public bool Ok => Report.Intact && SignatureProblem is null;

        /// <summary>The chain still holds the checkpoint's sequence number with its hash.</summary>
        public bool CheckpointHolds => !Report.Problems.Any(p => p.Kind is ChainProblemKind.CheckpointMissing or ChainProblemKind.CheckpointDiffers);
    }

    /// <summary>A checkpoint file and the public key it must be signed with, read and checked before the store is opened.</summary>
    public sealed record Expectation(Checkpoint? Checkpoint, string? SignatureProblem);

    /// <summary>Reads the checkpoint (if given) and checks its signature against <paramref name="publicKey"/> (64 hex digits or KEYFILE.pub).</summary>
    public static Expectation Read(string? checkpointPath, string? publicKey)
    {
        if (checkpointPath is null && publicKey is not null)
        {
            throw new LedgerException("--public-key checks a checkpoint's signature; give the checkpoint with --checkpoint FILE.");
        }

        var checkpoint = checkpointPath is null ? null : ReadCheckpoint(checkpointPath);
        var pinned = publicKey is null ? null : CheckpointKeys.ReadPublicKey(publicKey);
        return new Expectation(checkpoint, checkpoint is null ? null : CheckpointKeys.CheckSignature(checkpoint, pinned));
    }

    /// <summary>Recomputes the chain from the start and checks it against <paramref name="expected"/>.</summary>
    public static async Task<Result> VerifyAsync(LedgerStore store, Expectation expected, CancellationToken ct)
    {
        var report = await store.Chain.VerifyAsync(expected.Checkpoint, ct: ct);
        return new Result(report, expected.Checkpoint, expected.SignatureProblem);
    }

    private static Checkpoint ReadCheckpoint(string path)
    {
        try
        {
            return Checkpoint.Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Cannot read the checkpoint {path}: {e.Message}", ExitCodes.UsageOrEnvironment, e);
        }
    }
}
