using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace Ledger.Store.Embedded;

/// <summary>The state of the private cluster.</summary>
public enum ClusterState
{
    /// <summary>No cluster has been created under this home yet.</summary>
    Absent,
    Stopped,
    Running,
}

/// <summary>
/// A private PostgreSQL cluster under a directory of Ledger's own, created with the machine's
/// <c>initdb</c> / <c>pg_ctl</c> and reachable only through a Unix socket in a 0700 directory.
/// PostgreSQL refuses to run as root, so as root the server runs as an unprivileged system user.
/// </summary>
public sealed class EmbeddedPostgres
{
    public const string DatabaseName = "ledger";
    public const string SuperUser = "ledger";

    // With no TCP listener the port only names the socket file, and the socket directory is private.
    private const int SocketPort = 5432;

    // sun_path holds 108 bytes including the terminator.
    private const int MaxSocketPath = 107;

    private readonly string _home;
    private readonly string? _serviceUser;

    public EmbeddedPostgres(string home, string? serviceUser = null)
    {
        _home = Path.GetFullPath(home);
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

    /// <summary>Creates the cluster if needed, starts it if stopped, and makes sure the ledger database exists.</summary>
    /// <remarks>
    /// Processes started at once on a fresh home take turns: whoever holds <see cref="LockFile"/>
    /// creates and starts the cluster, the others wait for it and then find it running.
    /// </remarks>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (State == ClusterState.Running && await DatabaseExistsAsync(DatabaseName, ct))
        {
            return;
        }

        await using var held = await LockHomeAsync(ct);
        await StartLockedAsync(ct);
    }

    private async Task StartLockedAsync(CancellationToken ct)
    {
        var state = State;
        if (state == ClusterState.Absent)
        {
            await InitAsync(ct);
        }

        if (state == ClusterState.Stopped && LivePostmasterPid() is not null)
        {
            // The server runs but its socket is gone (its run folder was cleaned up): restart it.
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], ct);
        }

        if (state != ClusterState.Running)
        {
            // After a crash the old server's backends can hold its shared memory for a moment
            // ("pre-existing shared memory block is still in use"): try again a few times.
            (int ExitCode, string Output) result = (0, "");
            for (int attempt = 1; attempt <= 5; attempt++)
            {
                await RemoveLockOfDeadServerAsync(ct);
                PrepareSocketDirectory();
                // Terse errors: the server's log never quotes the data of a refused statement (its
                // CONTEXT line would hold a diff), as Ledger's own logs never do.
                result = await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", "-c log_error_verbosity=terse", "-w", "-t", "60", "start"], ct);
                if (result.ExitCode == 0 || IsServerAlive())
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }

            if (result.ExitCode != 0 && !IsServerAlive())
            {
                throw new StoreException(
                    $"The embedded PostgreSQL under {_home} did not start (pg_ctl exit {result.ExitCode}).\n{result.Output.Trim()}\n" +
                    $"Look at {LogFile}; if another Ledger runs with the same LEDGER_HOME, stop it first.");
            }
        }

        await EnsureDatabaseAsync(DatabaseName, ct);
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (State != ClusterState.Running)
        {
            return;
        }

        await using var held = await LockHomeAsync(ct);
        if (State != ClusterState.Running)
        {
            return;
        }

        var result = await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], ct);
        if (result.ExitCode != 0 && IsServerAlive())
        {
            throw new StoreException($"pg_ctl could not stop the embedded PostgreSQL under {_home}:\n{result.Output.Trim()}");
        }
    }

    /// <summary>Creates <paramref name="database"/> if it does not exist yet.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken ct = default)
    {
        // Unpooled: a pooled connection would outlive a stop/start of the server and fail with a broken pipe.
        var cs = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);
        try
        {
            await conn.OpenAsync(ct);
        }
        catch (NpgsqlException e)
        {
            throw new StoreException(
                $"The embedded PostgreSQL under {_home} does not answer on {SocketDirectory}: {e.Message}. " +
                $"Run 'ledger db stop' then 'ledger db start', and look at {LogFile}.",
                inner: e);
        }
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", conn);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
            try
            {
                await create.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another process created it between our check and our create.
            }
        }
    }

    /// <summary>
    /// Refuses a home that cannot hold a cluster: a file, or a path below a file. Whether it can be
    /// written shows when the lock file is created.
    /// </summary>
    public void CheckHome()
    {
        for (var path = _home; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                throw new StoreException(
                    path == _home
                        ? $"LEDGER_HOME {_home} is a file, not a directory. Set LEDGER_HOME to a directory (it is created if missing), or move the file away."
                        : $"LEDGER_HOME {_home} lies below {path}, which is a file, not a directory. Set LEDGER_HOME to a directory you can write.");
            }

            if (Directory.Exists(path))
            {
                return;
            }
        }
    }

    /// <summary>Creates the home if needed and takes its lock file, waiting (up to <see cref="LockTimeout"/>) while another process holds it.</summary>
    private async Task<FileStream> LockHomeAsync(CancellationToken ct)
    {
        CheckHome();
        try
        {
            Directory.CreateDirectory(_home);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"LEDGER_HOME {_home} cannot be created: {e.Message} Set LEDGER_HOME to a directory you can write.", inner: e);
        }

        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix: released when the stream closes or the process dies.
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new StoreException($"LEDGER_HOME {_home} is not writable ({e.Message}). Set LEDGER_HOME to a directory you can write, or fix its permissions.", inner: e);
            }
            catch (IOException e) when (File.Exists(LockFile) && !Directory.Exists(LockFile))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new StoreException(
                        $"Another ledger process has been creating, starting or stopping the embedded PostgreSQL under {_home} for over {LockTimeout.TotalSeconds:0} s (it holds {LockFile}). " +
                        $"Wait for it, or find it with 'fuser {LockFile}'; look at {LogFile}.",
                        inner: e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
            catch (IOException e)
            {
                throw new StoreException($"LEDGER_HOME {_home} cannot be used: {e.Message} Set LEDGER_HOME to a directory you can write.", inner: e);
            }
        }
    }

    private async Task<bool> DatabaseExistsAsync(string database, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        try
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", conn);
            exists.Parameters.AddWithValue(database);
            return await exists.ExecuteScalarAsync(ct) is not null;
        }
        catch (NpgsqlException)
        {
            // Not answering (yet): the slow path, under the lock, starts it or says why not.
            return false;
        }
    }

    private async Task InitAsync(CancellationToken ct)
    {
        if (SocketDirectory.Length + 1 + ".s.PGSQL.5432".Length > MaxSocketPath)
        {
            throw new StoreException(
                $"LEDGER_HOME {_home} is too long for a Unix socket path ({MaxSocketPath} bytes at most): choose a shorter LEDGER_HOME.");
        }

        if (_serviceUser is not null)
        {
            // The home is Ledger's own: let the service user pass through it (traverse, not list).
            // Its parents are the admin's business; CheckServiceUserCanReach names them if they block.
            var mode = File.GetUnixFileMode(_home);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                File.SetUnixFileMode(_home, mode | UnixFileMode.OtherExecute);
            }
        }

        CheckServiceUserCanReach(_home);
        if (Directory.Exists(DataDirectory) && Directory.EnumerateFileSystemEntries(DataDirectory).Any())
        {
            throw new StoreException(
                $"{DataDirectory} exists but holds no PostgreSQL cluster (no PG_VERSION). Move it away, then run the command again.");
        }

        Directory.CreateDirectory(DataDirectory);
        ChownToServiceUser(DataDirectory);
        var result = await RunAsync(
            "initdb",
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
            ct);
        if (result.ExitCode != 0)
        {
            // Leave nothing half-made: a later start would otherwise find a broken data directory.
            TryDelete(DataDirectory);
            throw new StoreException($"initdb failed (exit {result.ExitCode}) for {DataDirectory}:\n{result.Output.Trim()}");
        }

        // Unix socket only; the server never listens on TCP.
        await File.AppendAllTextAsync(
            Path.Combine(DataDirectory, "postgresql.conf"),
            $"\n# Ledger embedded cluster\nlisten_addresses = ''\nport = {SocketPort}\nunix_socket_directories = '{SocketDirectory.Replace("'", "''", StringComparison.Ordinal)}'\nunix_socket_permissions = 0700\nmax_connections = 100\n",
            ct);
    }

    private void PrepareSocketDirectory()
    {
        Directory.CreateDirectory(SocketDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        ChownToServiceUser(SocketDirectory);
        if (File.Exists(LogFile))
        {
            ChownToServiceUser(LogFile);
        }
        else
        {
            File.WriteAllText(LogFile, "");
            ChownToServiceUser(LogFile);
        }
    }

    private bool IsServerAlive() =>
        LivePostmasterPid() is not null && File.Exists(Path.Combine(SocketDirectory, $".s.PGSQL.{SocketPort}"));

    /// <summary>The pid in postmaster.pid when that process is alive; null for no file or a stale one (after a crash).</summary>
    private int? LivePostmasterPid()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        string? first;
        try
        {
            first = File.Exists(pidFile) ? File.ReadLines(pidFile).FirstOrDefault() : null;
        }
        catch (IOException)
        {
            return null;
        }

        if (!int.TryParse(first, out var pid))
        {
            return null;
        }

        return IsLivePostgres(pid) ? pid : null;
    }

    /// <summary>
    /// A server killed with kill -9 can stay a zombie when nothing reaps it (containers without an
    /// init). PostgreSQL then takes the zombie's pid for a live server and refuses to start. When
    /// the pid in postmaster.pid is such a zombie, its lock file is stale: give its backends a
    /// moment to notice their parent is gone, then remove it.
    /// </summary>
    private async Task RemoveLockOfDeadServerAsync(CancellationToken ct)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) || !IsZombie(pid))
        {
            return;
        }

        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        File.Delete(pidFile);
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is a running postgres: not gone, not a zombie (a killed server
    /// whose parent has not reaped it yet still has a pid), and not another program that got the pid.
    /// </summary>
    private static bool IsLivePostgres(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var name = stat[(open + 1)..close];
            var state = stat[(close + 2)..].Split(' ')[0];
            return state != "Z" && state != "X" && name.StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private void CheckServiceUserCanReach(string directory)
    {
        if (_serviceUser is null)
        {
            return;
        }

        var probe = new ProcessStartInfo("runuser", ["-u", _serviceUser, "--", "test", "-x", directory])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(probe) ?? throw new StoreException("Could not run runuser to check directory access.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new StoreException(
                $"The PostgreSQL service user '{_serviceUser}' cannot reach {directory} (a parent directory is not traversable). " +
                "Set LEDGER_HOME to a directory it can reach, e.g. LEDGER_HOME=/var/lib/ledger.");
        }
    }

    private void ChownToServiceUser(string path)
    {
        if (_serviceUser is null)
        {
            return;
        }

        var result = RunRaw("chown", ["-R", _serviceUser + ":", path]);
        if (result.ExitCode != 0)
        {
            throw new StoreException($"Could not give {path} to the PostgreSQL service user '{_serviceUser}': {result.Output.Trim()}");
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var exe = PostgresBinaries.Find(tool);
        var (file, argv) = _serviceUser is null
            ? (exe, args)
            : ("runuser", (IReadOnlyList<string>)["-u", _serviceUser, "--", exe, .. args]);
        var psi = new ProcessStartInfo(file, argv)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _serviceUser is null ? _home : "/",
        };

        // pg_ctl start leaves the server running with our pipes unless its output goes to the log file;
        // -l does that, so waiting for exit here is safe.
        using var process = Process.Start(psi) ?? throw new StoreException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, output);
    }

    private static (int ExitCode, string Output) RunRaw(string file, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi) ?? throw new StoreException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
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
