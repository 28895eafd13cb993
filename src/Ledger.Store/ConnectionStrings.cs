using System.Data.Common;
using Npgsql;

namespace Ledger.Store;

/// <summary>Defaults Ledger applies to every connection string it is given.</summary>
public static class ConnectionStrings
{
    /// <summary>
    /// Npgsql prefers GSS encryption over TCP, which loads Kerberos and asks for credentials on
    /// every new connection (about 100 ms per process, most of a git hook's time). Ledger turns it
    /// off unless the connection string says otherwise (<c>Gss Encryption Mode=Prefer</c>).
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var saysGss = given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("GssEncryptionMode", StringComparison.OrdinalIgnoreCase));
        if (saysGss)
        {
            return connectionString;
        }

        var b = new NpgsqlConnectionStringBuilder(connectionString) { GssEncryptionMode = GssEncryptionMode.Disable };
        return b.ConnectionString;
    }
}
