namespace Ledger.Core.Integrity;

/// <summary>An Ed25519 signature over <see cref="Checkpoint.SignedBytes"/>; key and signature in lower-case hex.</summary>
public sealed record CheckpointSignature(string Algorithm, string PublicKey, string Value)
{
    public const string Ed25519 = "ed25519";
}
