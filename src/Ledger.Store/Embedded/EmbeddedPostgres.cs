using System.Runtime.InteropServices;
using Ledger.Core.Processes;

namespace Ledger.Store.Embedded;

/// <summary>
/// A private PostgreSQL cluster under a directory of Ledger's own, created with the machine's
/// <c>initdb</c> / <c>pg_ctl</c> and reachable only through a Unix socket in a 0700 directory.
/// PostgreSQL refuses to run as root, so as root the server runs as an unprivileged system user.
/// </summary>
public sealed partial class EmbeddedPostgres
{
    public const string DatabaseName = "ledger";
    public const string SuperUser = "ledger";

    // With no TCP listener the port only names the socket file, and the socket directory is private.
    private const int SocketPort = 5432;

    // sun_path holds 108 bytes including the terminator.
    private const int MaxSocketPath = 107;

    private readonly string _home;
    private readonly string? _serviceUser;
    private readonly IProgramRunner _runner;

    /// <param name="runner">Runs initdb, pg_ctl and friends (Capture's ProgramRunner; Store does not reference Capture).</param>
    public EmbeddedPostgres(string home, IProgramRunner runner, string? serviceUser = null)
    {
        _home = Path.GetFullPath(home);
        _runner = runner;
        _serviceUser = IsRoot ? (serviceUser ?? DefaultServiceUser()) : null;
    }

    public string Home => _home;

    public string DataDirectory => Path.Combine(_home, "postgres");

    public string SocketDirectory => Path.Combine(_home, "run");

    public string LogFile => Path.Combine(_home, "postgres.log");

    /// <summary>Held while the cluster is created, started or stopped, so that processes take turns.</summary>
    public string LockFile => Path.Combine(_home, "embedded.lock");

    /// <summary>How long a process waits for another one that creates, starts or stops the cluster.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The system user the server runs as when Ledger runs as root; null otherwise.</summary>
    public string? ServiceUser => _serviceUser;

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    public string ConnectionString(string database = DatabaseName) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory,
            Port = SocketPort,
            Username = SuperUser,
            Database = database,
        }.ConnectionString;

    /// <summary>A libpq URI that <c>psql</c> accepts.</summary>
    public string Url(string database = DatabaseName) =>
        $"postgresql://{SuperUser}@/{database}?host={Uri.EscapeDataString(SocketDirectory)}&port={SocketPort}";

    public ClusterState State
    {
        get
        {
            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            {
                return ClusterState.Absent;
            }

            return IsServerAlive() ? ClusterState.Running : ClusterState.Stopped;
        }
    }

    private static string DefaultServiceUser()
    {
        var configured = Environment.GetEnvironmentVariable("LEDGER_PG_USER");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody";
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
