using System.Diagnostics;
using System.Text.Json;

namespace Ledger.Capture.Git;

/// <summary>
/// One deploy or restore at a time per repository: a lock file in the repository's .git folder
/// naming the process that holds it. A lock whose process is gone is stale and taken over.
/// </summary>
public sealed class RepositoryLock : IDisposable
{
    private readonly string _path;

    private RepositoryLock(string path, bool tookOverStale)
    {
        _path = path;
        TookOverStale = tookOverStale;
    }

    public bool TookOverStale { get; }

    public static string PathIn(string gitDirectory) => Path.Combine(gitDirectory, "ledger.lock");

    /// <exception cref="CaptureException">Another live process holds the lock.</exception>
    public static RepositoryLock Acquire(string gitDirectory, string operation)
    {
        var path = PathIn(gitDirectory);
        var content = JsonSerializer.Serialize(new LockInfo(Environment.ProcessId, operation, DateTimeOffset.UtcNow));
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(stream);
                writer.Write(content);
                return new RepositoryLock(path, tookOverStale: attempt > 0);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = Read(path);
                if (holder is not null && holder.Pid != Environment.ProcessId && IsAlive(holder.Pid))
                {
                    throw new CaptureException(Held(holder, path));
                }

                // Stale: its process died (kill -9, power loss). Take it over.
                File.Delete(path);
            }
        }

        throw new CaptureException($"Could not take the lock {path}; try again.");
    }

    /// <summary>Who holds the lock of <paramref name="gitDirectory"/>, in words, when a live process other than this one does; else null.</summary>
    public static string? HeldBy(string gitDirectory)
    {
        var path = PathIn(gitDirectory);
        return File.Exists(path) && Read(path) is { } holder && holder.Pid != Environment.ProcessId && IsAlive(holder.Pid)
            ? Held(holder, path)
            : null;
    }

    private static string Held(LockInfo holder, string path) =>
        $"Another {holder.Operation} (pid {holder.Pid}, since {holder.Since:u}) holds {path}. Wait for it to finish; if that process is gone, the lock is taken over automatically.";

    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }

    private static LockInfo? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LockInfo>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record LockInfo(int Pid, string Operation, DateTimeOffset Since);
}
