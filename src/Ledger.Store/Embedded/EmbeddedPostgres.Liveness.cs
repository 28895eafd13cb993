namespace Ledger.Store.Embedded;

// Whether the server runs, read from postmaster.pid, /proc and its socket; a crashed server's stale lock.
public sealed partial class EmbeddedPostgres
{
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
}
