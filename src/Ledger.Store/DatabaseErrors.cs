using Npgsql;

namespace Ledger.Store;

/// <summary>Recognises a database that went away in the middle of a command.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// True when <paramref name="e"/> (or what it wraps) is the connection failing rather than a
    /// statement being wrong: the server was stopped, killed or became unreachable.
    /// </summary>
    public static bool IsConnectionLost(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException p when p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow:
                case NpgsqlException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                case EndOfStreamException:
                    return true;
            }
        }

        return false;
    }
}
