namespace Ledger.Store.Embedded;

/// <summary>Finds the machine's PostgreSQL server programs: PATH first, then Debian's versioned folders.</summary>
public static class PostgresBinaries
{
    public static string Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.EnumerateDirectories(debian)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Dir, "bin", tool)))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return Path.Combine(newest.Dir, "bin", tool);
            }
        }

        throw new StoreException(
            $"PostgreSQL's '{tool}' was not found on PATH or in /usr/lib/postgresql/*/bin. " +
            "Install the PostgreSQL server (Debian: apt-get install postgresql; NixOS: add postgresql to PATH), " +
            "or point Ledger at an existing server with --db or LEDGER_DB.");
    }
}
