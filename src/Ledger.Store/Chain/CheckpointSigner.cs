using Ledger.Core.Errors;
using Ledger.Core.Integrity;
using NSec.Cryptography;

namespace Ledger.Store.Chain;

/// <summary>
/// An Ed25519 private key read from its file, ready to sign checkpoints. Opened before the work
/// that precedes signing, so that a bad key fails first.
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;

    private CheckpointSigner(Key key)
    {
        _key = key;
        PublicKey = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public key, 64 hex digits.</summary>
    public string PublicKey { get; }

    /// <summary>Reads the private key (PKCS#8 PEM), refusing one that other users can read.</summary>
    public static CheckpointSigner Open(string path) => new(ReadPrivateKey(path));

    public Checkpoint Sign(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var signature = Algorithm.Sign(_key, checkpoint.SignedBytes());
        return checkpoint with { Signature = new CheckpointSignature(CheckpointSignature.Ed25519, PublicKey, Convert.ToHexStringLower(signature)) };
    }

    public void Dispose() => _key.Dispose();

    private static Key ReadPrivateKey(string path)
    {
        byte[] blob;
        try
        {
            // Like ssh, refuse a private key that others can read: it may already be someone else's.
            if ((File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new LedgerException($"{path} can be read or written by other users; make it private first: chmod 600 {path}");
            }

            blob = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Cannot read the signing key {path}: {e.Message}. Create one with 'ledger checkpoint --new-key FILE'.", ExitCodes.UsageOrEnvironment, e);
        }

        return Key.TryImport(Algorithm, blob, KeyBlobFormat.PkixPrivateKeyText, out var key, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None }) && key is not null
            ? key
            : throw new LedgerException($"{path} is not an Ed25519 private key in PEM (PKCS#8). Create one with 'ledger checkpoint --new-key FILE'.");
    }
}
