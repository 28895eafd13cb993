using System.Data.Common;
using Npgsql;

namespace Ledger.Store;

/// <summary>Defaults Ledger applies to every connection string it is given.</summary>
public static class ConnectionStrings
{
    /// <summary>
    /// Two defaults, each only when the connection string does not set it itself.
    /// GSS encryption off: Npgsql prefers it over TCP, which loads Kerberos and asks for
    /// credentials on every new connection (about 100 ms per process, most of a git hook's time);
    /// <c>Gss Encryption Mode=Prefer</c> turns it back on. PostgreSQL's JIT off
    /// (<c>Options=-c jit=off</c>): the monthly report's aggregations over a month of snapshots
    /// spent more time compiling (1.6 s of 3.7 s in one query) than the JIT saved.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToList();
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("GssEncryptionMode", StringComparer.OrdinalIgnoreCase))
        {
            b.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        if (!keys.Contains("Options", StringComparer.OrdinalIgnoreCase))
        {
            b.Options = "-c jit=off";
        }

        return b.ConnectionString;
    }
}
