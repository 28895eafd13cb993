using System.Security.Cryptography;
using System.Text;

namespace Ledger.Store.Fleet;

/// <summary>
/// A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802, RFC 7677), as <c>pg_authid</c> stores
/// it: <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>. <c>CREATE ROLE ... PASSWORD</c>
/// given such a string stores it as it is, so the password itself never reaches the server, its
/// statement log or <c>pg_stat_activity</c>.
/// </summary>
public static class ScramVerifier
{
    /// <summary>PostgreSQL's default (<c>scram_iterations</c>).</summary>
    public const int Iterations = 4096;

    /// <summary>
    /// The verifier of <paramref name="password"/>. The password must be ASCII (SASLprep leaves
    /// printable ASCII as it is, so the server and every client derive the same key); generated
    /// passwords are.
    /// </summary>
    public static string For(string password, byte[]? salt = null, int iterations = Iterations)
    {
        if (password.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException("The password must be printable ASCII.", nameof(password));
        }

        salt ??= RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>A new random password: 32 bytes, URL-safe base64 (43 characters; nothing a connection string or a shell quotes).</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
