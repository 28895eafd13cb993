namespace Ledger.Capture.Processes;

/// <summary>Finds a program the way a shell does, so a missing one is reported before anything starts.</summary>
public static class ProgramLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    // Where NixOS puts system programs; a systemd timer or a sudo session may run with a PATH
    // that lacks them.
    private static readonly string[] NixosFolders = ["/run/wrappers/bin", "/run/current-system/sw/bin"];

    /// <summary>
    /// The full path of <paramref name="program"/>, or <c>null</c> when it is not there. A name is
    /// looked up in <paramref name="searchPath"/> (a PATH value; null: this process's PATH and then
    /// NixOS's system folders), then in <paramref name="moreFolders"/>; a path is taken as it is.
    /// </summary>
    public static string? Find(string program, string? searchPath = null, IReadOnlyList<string>? moreFolders = null)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(program) ? Path.GetFullPath(program) : null;
        }

        var folders = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(searchPath is null ? NixosFolders : [])
            .Concat(moreFolders ?? []);
        return folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(IsExecutableFile);
    }

    private static bool IsExecutableFile(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
