using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Ledger.Store;

/// <summary>Sorts database failures into the ones worth retrying, the ones that mean "full", and the rest.</summary>
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
                case NpgsqlException { IsTransient: true } and not PostgresException:
                case System.Net.Sockets.SocketException:
                case EndOfStreamException:
                case ObjectDisposedException when IsDisposedSocket(x):
                case NullReferenceException when IsDriverFault(x, DriverAssembly):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="e"/> (or what it wraps) says the database cannot be reached at all:
    /// the connection was refused or timed out, the host name is unknown, the socket is missing, the
    /// server is starting up, shutting down or full of clients, or the connection was lost. What the
    /// server answered about the request itself (a wrong password, a missing database or role, a
    /// refused permission, a bad statement, a full disk) is not: those are errors to report, and the
    /// spool never keeps an event the database would refuse for them.
    /// </summary>
    public static bool IsUnreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException p:
                    return p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.TooManyConnections
                        || p.SqlState.StartsWith("08", StringComparison.Ordinal);
                case System.Security.Authentication.AuthenticationException:
                    // TLS refused (a certificate that does not verify): a configuration to fix, not an outage.
                    return false;
                case TimeoutException:
                case System.Net.Sockets.SocketException:
                    return true;
            }
        }

        return IsConnectionLost(e);
    }

    /// <summary>Why the database cannot be reached, in a few words (the driver's or the server's), for the spool's messages.</summary>
    public static string DescribeUnreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException p when p.SqlState is PostgresErrorCodes.TooManyConnections:
                    return "the server has too many connections";
                case PostgresException:
                    return Describe(x);
                case TimeoutException:
                    return "no answer in time";
                case System.Net.Sockets.SocketException s:
                    return s.Message;
            }
        }

        return Describe(e);
    }

    /// <summary>
    /// True when trying the same thing again a little later may well succeed: the connection was
    /// lost, the server is starting or shutting down, or the transaction lost a serialization
    /// conflict or a deadlock (the server rolled it back). A full disk, a constraint violation or a
    /// permission error is not transient: retrying would only repeat it.
    /// </summary>
    public static bool IsTransient(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                // Npgsql calls every 53xxx "transient" (disk full included); that is not ours to wait out.
                case PostgresException p:
                    return p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                        or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.TooManyConnections
                        || p.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                case EndOfStreamException:
                case ObjectDisposedException when IsDisposedSocket(x):
                case NullReferenceException when IsDriverFault(x, DriverAssembly):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for the socket or network stream under a connection being used after it was closed. When
    /// the server is killed while a statement waits for its answer, Npgsql 10.0.3 may break the
    /// connector and dispose its stream before the pending read gives up; the read then fails with
    /// "Exception while reading from stream" wrapping this (the CI failure of stop 33). That is the
    /// connection being lost, like an end of stream.
    /// </summary>
    internal static bool IsDisposedSocket(Exception e) =>
        e is ObjectDisposedException { ObjectName: { } name } && name.StartsWith("System.Net.", StringComparison.Ordinal);

    private static readonly Assembly DriverAssembly = typeof(NpgsqlConnection).Assembly;

    /// <summary>
    /// True when <paramref name="e"/> was thrown by the driver's own code rather than by ours.
    /// Npgsql 10.0.3 sometimes fails with a NullReferenceException from inside its connector
    /// (<c>NpgsqlConnector.ReadMessageLong</c>) when the server is killed while a statement waits
    /// for its answer (seen with <c>pg_ctl stop -m immediate</c> during an import): that is the
    /// connection being lost, and is retried like one. A NullReferenceException thrown by Ledger's
    /// code is a bug and still surfaces as one.
    /// </summary>
    /// <remarks>Compiled ahead of time (ledger-hook) the method behind <c>TargetSite</c> may be unknown: the fault is then not the driver's, and the hook hands the command to ledger, which tells.</remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A null TargetSite answers false; see remarks.")]
    internal static bool IsDriverFault(Exception e, Assembly driver) =>
        e.TargetSite?.DeclaringType?.Assembly == driver;

    /// <summary>True when the server is starting up, recovering or shutting down: worth waiting for even before the first connection worked.</summary>
    public static bool IsServerStartingOrStopping(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException p)
            {
                return p.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown;
            }
        }

        return false;
    }

    /// <summary>
    /// The database refusing an event about another host from a fleet host's role (SQLSTATE
    /// LGH01, <see cref="Fleet.FleetSchema"/>) anywhere in <paramref name="e"/>, or null. Its
    /// message names the role, the host it may record for and the host it tried.
    /// </summary>
    public static PostgresException? WrongHost(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: Fleet.FleetSchema.WrongHostState } p)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>The server's "disk full" (SQLSTATE 53100) anywhere in <paramref name="e"/>, or null.</summary>
    public static PostgresException? DiskFull(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.DiskFull } p)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>A short description of a transient failure, for the retry line.</summary>
    public static string Describe(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException p when p.SqlState is PostgresErrorCodes.SerializationFailure:
                    return "serialization conflict with another transaction";
                case PostgresException p when p.SqlState is PostgresErrorCodes.DeadlockDetected:
                    return "deadlock with another transaction";
                case PostgresException p when p.SqlState is PostgresErrorCodes.CannotConnectNow:
                    return "the server is starting up";
                case PostgresException p when p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown:
                    return "the server is shutting down";
                case PostgresException p:
                    return $"{p.SqlState}: {p.MessageText}";
            }
        }

        var cause = e.GetBaseException();
        return cause is NullReferenceException
            ? "the connection was lost in the middle of a statement"
            : "the connection was lost: " + cause.Message;
    }
}
