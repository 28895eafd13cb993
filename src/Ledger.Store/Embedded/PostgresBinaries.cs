using Ledger.Core.Processes;

namespace Ledger.Store.Embedded;

/// <summary>Finds the machine's PostgreSQL server programs: PATH (and NixOS's system folders) first, then Debian's versioned folders.</summary>
public static class PostgresBinaries
{
    private const string Debian = "/usr/lib/postgresql";

    public static string Find(string tool, IProgramRunner runner) =>
        runner.Locate(tool, moreFolders: DebianFolders(tool))
        ?? throw new StoreException(
            $"PostgreSQL's '{tool}' was not found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install the PostgreSQL server (Debian: apt-get install postgresql; NixOS: add postgresql to PATH), " +
            "or point Ledger at an existing server with --db or LEDGER_DB.");

    /// <summary>Debian's <c>/usr/lib/postgresql/VERSION/bin</c> folders, newest version first.</summary>
    private static string[] DebianFolders(string tool) =>
        !Directory.Exists(Debian)
            ? []
            : Directory.EnumerateDirectories(Debian)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Dir, "bin", tool)))
                .OrderByDescending(x => x.Version)
                .Select(x => Path.Combine(x.Dir, "bin"))
                .ToArray();
}
