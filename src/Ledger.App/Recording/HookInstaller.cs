using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Ledger.App.Daemon;
using Ledger.Core.Errors;

namespace Ledger.App.Recording;

/// <summary>Writes the git post-commit hook that records every new commit: through the daemon when it answers, else through the ledger command.</summary>
internal static class HookInstaller
{
    /// <summary>The line that marks a hook as Ledger's own (and so safe to overwrite).</summary>
    public const string HookMarker = "# Installed by 'ledger init --hooks'";

    /// <summary>The git hook's own executable (src/Ledger.Hook), published beside ledger.</summary>
    public const string HookExecutable = "ledger-hook";

    /// <summary>
    /// Set by ledger-hook for the ledger it hands a command to, so that ledger runs it itself
    /// instead of handing it back (<c>ledger import-git</c> otherwise runs in ledger-hook).
    /// </summary>
    public const string HandedOverVariable = "LEDGER_FROM_HOOK";

    /// <summary>
    /// Whether this processor runs ledger-hook: on x86-64 it is compiled for x86-64-v2 (SSSE3,
    /// SSE4.1/4.2 and POPCNT, every x86-64 processor since 2009-2011; text searches take a sixth less
    /// time), and an older one would stop it before its first instruction. ledger then records and
    /// imports by itself, as it does where ledger-hook was not published.
    /// </summary>
    public static bool HookRunsOnThisCpu() =>
        RuntimeInformation.ProcessArchitecture != Architecture.X64
        || (Ssse3.IsSupported && Sse41.IsSupported && Sse42.IsSupported && Popcnt.IsSupported);

    /// <summary>Where <c>ledger serve</c> listens unless serve.json says otherwise.</summary>
    public const string DefaultDaemon = "http://" + ServeSettings.DefaultListen;

    /// <summary>The daemon's base URL from --daemon, or null for 'none'.</summary>
    public static Uri? DaemonUrl(string given)
    {
        if (given.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!Uri.TryCreate(given, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || given.Contains('\'', StringComparison.Ordinal))
        {
            throw new LedgerException($"--daemon {given}: expected the URL 'ledger serve' answers on, such as {DefaultDaemon}, or 'none'.");
        }

        return url;
    }

    /// <summary>
    /// Writes <c>hooks/post-commit</c> under <paramref name="gitDirectory"/> and returns its path.
    /// A hook Ledger did not write is left as it is (the error says what line to add).
    /// </summary>
    /// <param name="ledgerHome">Exported in the hook when the admin chose a LEDGER_HOME, so the hook finds the same ledger.</param>
    public static string Install(string gitDirectory, string host, Uri? daemon, string? ledgerHome)
    {
        var hooksDir = Path.Combine(gitDirectory, "hooks");
        Directory.CreateDirectory(hooksDir);
        var path = Path.Combine(hooksDir, "post-commit");
        if (File.Exists(path) && !File.ReadAllText(path).Contains(HookMarker, StringComparison.Ordinal))
        {
            throw new LedgerException(
                $"{path} exists and was not written by Ledger; it is left as it is. Add this line to it yourself:\n  {RecordInvocation()} record commit HEAD --repo \"$(git rev-parse --show-toplevel)\" --host {host}");
        }

        var env = ledgerHome is null ? "" : $"export LEDGER_HOME={Quote(ledgerHome)}";

        // The daemon's answer names the commit: anything else (no daemon, no curl, another
        // repository or host, an error) falls through to the ledger command, which records it too.
        var askDaemon = daemon is null
            ? ""
            : $"""
              # First the running daemon (ledger serve): it records the commit in milliseconds.
              answer=$(curl -sS --fail --connect-timeout 1 --max-time 30 \
                --data-urlencode "repo=$top" --data-urlencode "sha=$sha" --data-urlencode host={Quote(host)} \
                --data-urlencode "user=$(id -un)" --data-urlencode "sudo_user={"${SUDO_USER:-}"}" \
                {Quote(new Uri(daemon, PostedCommit.Route).ToString())} 2>/dev/null)
              case "$answer" in
                "recorded $sha "*|"known $sha "*) exit 0 ;;
                "spooled $sha "*) said={"${answer#\"spooled $sha \"}"}; echo "ledger: $said" >&2; exit 0 ;;
              esac
              """;
        var script = $"""
            #!/bin/sh
            {HookMarker}: records each new commit in Ledger.
            # A failure to record never blocks the commit; it is reported here and in Ledger's log.
            {env}
            top=$(git rev-parse --show-toplevel)
            sha=$(git rev-parse HEAD)
            {askDaemon}
            {RecordInvocation()} record commit "$sha" --repo "$top" --host {Quote(host)} >/dev/null \
              || echo "ledger: this commit was not recorded; run 'ledger import-git' later to catch up" >&2
            exit 0

            """;
        File.WriteAllText(path, script.Replace("\n\n\n", "\n\n", StringComparison.Ordinal));
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    /// <summary>
    /// What records the commit when no daemon answers: <c>ledger-hook</c> beside this ledger when it
    /// was published with it (compiled ahead of time: a commit in tens of milliseconds instead of a
    /// .NET start-up; it hands anything unusual to ledger), else this ledger itself.
    /// </summary>
    private static string RecordInvocation()
    {
        var process = Environment.ProcessPath ?? "ledger";
        var hook = Path.Combine(Path.GetDirectoryName(process) ?? ".", HookExecutable);
        return Path.GetFileNameWithoutExtension(process) != "dotnet" && File.Exists(hook) && HookRunsOnThisCpu() ? Quote(hook) : LedgerInvocation();
    }

    /// <summary>
    /// Why the hook written now is tied to a build rather than an installed Ledger (<c>dotnet run</c>
    /// or <c>dotnet ledger.dll</c> from a checkout: a later build, a <c>git clean</c> or a switch to
    /// another branch changes or removes what the hook runs), or null when it runs a published one.
    /// </summary>
    public static string? BuildWarning()
    {
        var process = Environment.ProcessPath ?? "ledger";
        if (Path.GetFileNameWithoutExtension(process) != "dotnet")
        {
            return null;
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "ledger.dll");
        return $"The hook runs the build at {dll} through dotnet: rebuilding, cleaning or switching the checkout changes or removes it. "
            + "For a hook that stays, publish Ledger (docs/operations.md, 'dotnet publish src/Ledger.Cli ...') and run 'ledger init --hooks' again with the published ledger.";
    }

    /// <summary>How to run this same ledger from a hook: the apphost, or dotnet with the dll.</summary>
    private static string LedgerInvocation()
    {
        var process = Environment.ProcessPath ?? "ledger";
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "ledger.dll");
            return $"{Quote(process)} {Quote(dll)}";
        }

        return Quote(process);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
