namespace Ledger.Store.Embedded;

// Starting and stopping the server (pg_ctl), and the ledger database in it.
public sealed partial class EmbeddedPostgres
{
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
}
