using Ledger.Store.Embedded;

namespace Ledger.App.Settings;

/// <summary>Where a ledger keeps its settings, logs and embedded database, for every executable that runs its commands.</summary>
internal static class LedgerHome
{
    /// <summary>$LEDGER_HOME, else ~/.local/share/ledger, else (as root) /var/lib/ledger.</summary>
    public static string Resolve(Func<string, string?> env)
    {
        if (env("LEDGER_HOME") is { Length: > 0 } home)
        {
            return Path.GetFullPath(home);
        }

        // The embedded server runs as an unprivileged user when we are root, and that user cannot
        // reach into /root: root's ledger lives where system services keep their state.
        if (EmbeddedPostgres.IsRoot)
        {
            return "/var/lib/ledger";
        }

        var dataHome = env("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "ledger");
    }
}
