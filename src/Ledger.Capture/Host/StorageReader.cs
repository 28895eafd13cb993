namespace Ledger.Capture.Host;

/// <summary>
/// Used and total bytes per mount, from statvfs (through <see cref="DriveInfo"/>). "Used" is
/// total minus free blocks (f_bfree) and "available" what an unprivileged user may still write
/// (f_bavail) — the same numbers <c>df</c> prints.
/// </summary>
public static class StorageReader
{
    public static IReadOnlyList<MountUsage> Read(IReadOnlyList<MountSpec> mounts)
    {
        var result = new List<MountUsage>(mounts.Count);
        foreach (var m in mounts)
        {
            if (!Directory.Exists(m.Path))
            {
                throw new CaptureException($"Mount {m.Path} does not exist. Fix the storage configuration (mounts in $LEDGER_HOME/storage.json or --mount).");
            }

            try
            {
                var d = new DriveInfo(m.Path);
                var total = d.TotalSize;
                var used = total - d.TotalFreeSpace;
                result.Add(new MountUsage(m.Path, m.Tier, total, used, d.AvailableFreeSpace));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CaptureException($"Cannot read the usage of {m.Path}: {e.Message}", inner: e);
            }
        }

        return result;
    }

    /// <summary>Parses "PATH[=TIER]" as typed after --mount.</summary>
    public static MountSpec ParseMountArgument(string text)
    {
        var eq = text.LastIndexOf('=');
        var (path, tier) = eq > 0 ? (text[..eq], text[(eq + 1)..]) : (text, null);
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
        {
            throw new CaptureException($"--mount '{text}' must be an absolute path, optionally with a tier: /mnt/cold=cold.");
        }

        return new MountSpec(path, string.IsNullOrWhiteSpace(tier) ? null : tier);
    }
}
