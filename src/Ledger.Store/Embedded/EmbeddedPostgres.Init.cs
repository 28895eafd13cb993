namespace Ledger.Store.Embedded;

// Creating the cluster: initdb as the service user, Unix socket only.
public sealed partial class EmbeddedPostgres
{
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
}
