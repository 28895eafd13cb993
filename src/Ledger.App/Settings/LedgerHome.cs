using Ledger.Store.Embedded;

namespace Ledger.App.Settings;

/// <summary>
/// What every executable that runs ledger's commands (ledger, ledger-hook) takes from the
/// environment: where the ledger keeps its settings, logs and embedded database, and which host
/// its events are about.
/// </summary>
internal static class LedgerHome
{
    /// <summary>The host events are about unless --host says: $LEDGER_HOST, else this machine's name.</summary>
    public static string DefaultHost(Func<string, string?> env) => env("LEDGER_HOST") is { Length: > 0 } h ? h : Environment.MachineName;

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
