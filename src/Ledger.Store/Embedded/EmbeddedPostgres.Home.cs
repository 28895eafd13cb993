namespace Ledger.Store.Embedded;

// The home: refusing one that cannot hold a cluster, taking turns through its lock file, and the service user's access.
public sealed partial class EmbeddedPostgres
{
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

    private void CheckServiceUserCanReach(string directory)
    {
        if (_serviceUser is null)
        {
            return;
        }

        if (!ServiceUserCanTraverse(directory))
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
}
