using System.Globalization;

namespace Ledger.Capture.Host;

/// <summary>Where the system facts come from; tests point it at a folder of their own.</summary>
public sealed record SystemPaths(string Proc = "/proc", string SystemProfile = "/nix/var/nix/profiles/system", string CurrentSystem = "/run/current-system");

/// <summary>Load, memory, uptime, kernel and the NixOS generation: the runbook's post-upgrade look.</summary>
public static class SystemReader
{
    public static SystemSnapshotTaken Read(string host, string actor, SystemPaths? paths = null)
    {
        var p = paths ?? new SystemPaths();
        var load = ReadText(Path.Combine(p.Proc, "loadavg")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (load.Length < 3)
        {
            throw new CaptureException($"{Path.Combine(p.Proc, "loadavg")} is not in the expected format (three load averages).");
        }

        var meminfo = ParseMeminfo(ReadText(Path.Combine(p.Proc, "meminfo")));
        var uptime = ReadText(Path.Combine(p.Proc, "uptime")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kernelFile = Path.Combine(p.Proc, "sys", "kernel", "osrelease");
        var kernel = File.Exists(kernelFile) ? File.ReadAllText(kernelFile).Trim() : Environment.OSVersion.VersionString;
        var versionFile = Path.Combine(p.CurrentSystem, "nixos-version");
        return new SystemSnapshotTaken(
            host,
            actor,
            kernel,
            (long)Number(uptime[0], "uptime"),
            Number(load[0], "loadavg"),
            Number(load[1], "loadavg"),
            Number(load[2], "loadavg"),
            meminfo.GetValueOrDefault("MemTotal") * 1024,
            (meminfo.TryGetValue("MemAvailable", out var avail) ? avail : meminfo.GetValueOrDefault("MemFree")) * 1024,
            Generation(p.SystemProfile),
            File.Exists(versionFile) ? File.ReadAllText(versionFile).Trim() : null);
    }

    /// <summary>
    /// The generation number the system profile points at: <c>/nix/var/nix/profiles/system</c> is a
    /// link to <c>system-123-link</c>. Null when there is no such profile (not NixOS).
    /// </summary>
    public static int? Generation(string systemProfile)
    {
        try
        {
            var target = new FileInfo(systemProfile).LinkTarget;
            if (target is null)
            {
                return null;
            }

            var name = Path.GetFileName(target);
            var parts = name.Split('-');
            return parts.Length >= 3 && parts[^1] == "link" && int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>/proc/meminfo as key -> kB.</summary>
    public static Dictionary<string, long> ParseMeminfo(string text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (value.Length > 0 && long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                result[line[..colon]] = kb;
            }
        }

        return result;
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureException($"Cannot read {path}: {e.Message}", inner: e);
        }
    }

    private static double Number(string text, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CaptureException($"'{text}' in {what} is not a number.");
}
