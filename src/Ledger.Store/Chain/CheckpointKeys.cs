using Ledger.Core.Errors;
using Ledger.Core.Integrity;
using NSec.Cryptography;

namespace Ledger.Store.Chain;

/// <summary>
/// Ed25519 keys for checkpoints (NSec over libsodium: .NET 10's System.Security.Cryptography has
/// Ed25519 only inside composite ML-DSA). The private key is a PKCS#8 PEM file that only its owner
/// can read, the same format <c>openssl genpkey -algorithm ed25519</c> writes; public keys travel
/// as 64 hex digits.
/// </summary>
public static class CheckpointKeys
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    /// <summary>
    /// Creates a key pair: <paramref name="path"/> (the private key, mode 0600, never overwritten)
    /// and <paramref name="path"/>.pub (the public key in hex). Returns the public key.
    /// </summary>
    public static string CreateKeyPair(string path)
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicHex = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        PrivateFile.WriteNew(path, key.Export(KeyBlobFormat.PkixPrivateKeyText), "a key");
        try
        {
            File.WriteAllText(path + ".pub", publicHex + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Cannot write the public key to {path}.pub: {e.Message}", ExitCodes.UsageOrEnvironment, e);
        }

        return publicHex;
    }

    /// <summary>
    /// Whether the checkpoint's signature is valid for <paramref name="publicKeyHex"/>, or for the
    /// key written inside the checkpoint when none is given. Null when it is; otherwise why not.
    /// </summary>
    public static string? CheckSignature(Checkpoint checkpoint, string? publicKeyHex)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Signature is not { } s)
        {
            return publicKeyHex is null ? null : "the checkpoint is not signed, but a public key was given: its signature may have been stripped.";
        }

        if (s.Algorithm != CheckpointSignature.Ed25519)
        {
            return $"the checkpoint is signed with '{s.Algorithm}', which Ledger does not know (only {CheckpointSignature.Ed25519}).";
        }

        var keyHex = (publicKeyHex ?? s.PublicKey).ToLowerInvariant();
        if (publicKeyHex is not null && keyHex != s.PublicKey)
        {
            return $"the checkpoint was signed by key {Abbreviate(s.PublicKey)}, not by the expected key {Abbreviate(keyHex)}.";
        }

        if (!Checkpoint.IsHex(keyHex, 32) || !PublicKey.TryImport(Algorithm, Convert.FromHexString(keyHex), KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return "the checkpoint's public key is not a valid Ed25519 key.";
        }

        if (!Checkpoint.IsHex(s.Value, 64) || !Algorithm.Verify(key, checkpoint.SignedBytes(), Convert.FromHexString(s.Value)))
        {
            return $"the signature does not match the checkpoint for key {Abbreviate(keyHex)}: the checkpoint was changed after it was signed, or the signature is forged.";
        }

        return null;
    }

    /// <summary>A public key given on the command line: 64 hex digits, or a file holding them (as <c>--new-key</c> writes FILE.pub).</summary>
    public static string ReadPublicKey(string hexOrPath)
    {
        var text = hexOrPath.Trim();
        if (!Checkpoint.IsHex(text, 32) && File.Exists(hexOrPath))
        {
            text = File.ReadAllText(hexOrPath).Trim();
        }

        return Checkpoint.IsHex(text, 32)
            ? text.ToLowerInvariant()
            : throw new LedgerException($"--public-key takes 64 hex digits or a file holding them (KEYFILE.pub from 'ledger checkpoint --new-key'); '{hexOrPath}' is neither.");
    }

    /// <summary>The first 16 hex digits, enough to tell keys apart in a message.</summary>
    public static string Abbreviate(string hex) => hex.Length > 16 ? hex[..16] + "..." : hex;
}
