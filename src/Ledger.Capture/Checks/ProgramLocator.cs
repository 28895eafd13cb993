namespace Ledger.Capture.Checks;

/// <summary>Finds a program the way a shell does, so a missing one is reported before anything starts.</summary>
internal static class ProgramLocator
{
    // Where NixOS puts system programs; a systemd timer or a sudo session may run with a PATH
    // that lacks them.
    private static readonly string[] NixosFolders = ["/run/wrappers/bin", "/run/current-system/sw/bin"];

    /// <summary>The full path of <paramref name="program"/>, or <c>null</c> when it is not there.</summary>
    public static string? Find(string program, string? searchPath)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(program) ? Path.GetFullPath(program) : null;
        }

        var folders = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(searchPath is null ? NixosFolders : []);
        return folders.Select(folder => Path.Combine(folder, program)).FirstOrDefault(IsExecutableFile);
    }

    private static bool IsExecutableFile(string path) =>
        File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
