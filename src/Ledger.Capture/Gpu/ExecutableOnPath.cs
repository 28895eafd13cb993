namespace Ledger.Capture.Gpu;

/// <summary>Finds a program the way a shell does: the first executable file of that name in PATH.</summary>
public static class ExecutableOnPath
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The full path of <paramref name="program"/> in <paramref name="path"/> (a PATH value), or null.</summary>
    public static string? Find(string program, string? path)
    {
        foreach (var dir in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
