using System.CommandLine;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class InitCommand
{
    public const string HookMarker = "# Installed by 'ledger init --hooks'";

    /// <summary>Where <c>ledger serve</c> listens unless serve.json says otherwise.</summary>
    public const string DefaultDaemon = "http://" + App.Daemon.ServeSettings.DefaultListen;

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var repo = CommonOptions.Repo();
        var host = CommonOptions.RecordHost();
        var hooks = new Option<bool>("--hooks") { Description = "Install a git post-commit hook that records every new commit" };
        var daemon = new Option<string>("--daemon")
        {
            Description = "With --hooks: the running 'ledger serve' the hook asks first (it records in milliseconds); 'none' for the ledger command only",
            DefaultValueFactory = _ => DefaultDaemon,
        };
        var dbGuards = new Option<bool>("--db-guards")
        {
            Description = "Make events and chain rows append-only (triggers; run as the database owner). Without --repo, only this is done",
        };
        var appRole = new Option<string?>("--app-role")
        {
            Description = "With --db-guards: the role Ledger runs as day to day; it keeps SELECT and INSERT on events and chain rows, nothing more",
        };
        var command = new Command("init", "Register a configuration repository (and optionally install the post-commit hook, or set up the database guards)") { repo, host, hooks, daemon, dbGuards, appRole };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            if (r.GetValue(appRole) is not null && !r.GetValue(dbGuards))
            {
                throw new LedgerException("--app-role goes with --db-guards: ledger init --db-guards --app-role ROLE");
            }

            if (r.GetValue(dbGuards))
            {
                var failed = await InstallGuardsAsync(ctx, r.GetValue(appRole), ct);
                var repoGiven = r.GetResult(repo) is { Implicit: false } || r.GetValue(hooks);
                if (failed || !repoGiven)
                {
                    return failed ? ExitCodes.Failure : ExitCodes.Success;
                }
            }

            using var reader = GitHistoryReader.Open(r.GetValue(repo)!);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var installHook = r.GetValue(hooks);
            if (installHook)
            {
                var path = InstallHook(reader, ctx, hostName, DaemonUrl(r.GetValue(daemon)!));
                await ctx.Out.WriteLineAsync($"Installed the post-commit hook: {path}");
            }

            await using var store = await ctx.OpenStoreAsync(ct);
            var seq = await store.AppendAsync(
                new NewEvent(StreamKeys.Repository(hostName, reader.RepoKey), new RepositoryRegistered(hostName, ctx.Actor, reader.RepoKey, reader.Branch, installHook)),
                ct);
            await ctx.Out.WriteLineAsync($"Registered {reader.RepoKey} for host {hostName} as #{seq}.");
            await ctx.Out.WriteLineAsync($"Next: ledger import-git --repo {reader.RepoKey}" + (hostName == ctx.DefaultHost ? "" : $" --host {hostName}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Sets up and reports the append-only guards; true when the application role can still change history.</summary>
    private static async Task<bool> InstallGuardsAsync(CliContext ctx, string? appRole, CancellationToken ct)
    {
        await using var store = await ctx.OpenStoreAsync(ct);
        var report = await store.InstallGuardsAsync(appRole, ct);
        await ctx.Out.WriteLineAsync($"Append-only guards on {store.Description}:");
        foreach (var t in report.Triggers)
        {
            await ctx.Out.WriteLineAsync($"  trigger {t}");
        }

        if (report.AppRole is { } role)
        {
            await ctx.Out.WriteLineAsync(report.AppRoleCanChange.Count == 0
                ? $"Role '{role}' may read and append events and chain rows; UPDATE, DELETE and TRUNCATE are revoked."
                : $"Role '{role}' can STILL change history ({string.Join(", ", report.AppRoleCanChange)}), through a role it belongs to or a grant to PUBLIC: revoke those, then run this again.");
        }

        if (report.ConnectedRoleCanBypass)
        {
            await ctx.Out.WriteLineAsync(
                $"Note: '{report.ConnectedRole}' owns the tables (or is a superuser) and could disable the triggers. " +
                (report.AppRole is null
                    ? "For day-to-day use, connect Ledger as a separate role set up with --app-role ROLE."
                    : $"Connect Ledger day to day as '{report.AppRole}' (--db / LEDGER_DB), not as '{report.ConnectedRole}'."));
        }

        return report.AppRoleCanChange.Count > 0;
    }

    /// <summary>The daemon's base URL from --daemon, or null for 'none'.</summary>
    private static Uri? DaemonUrl(string given)
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

    private static string InstallHook(GitHistoryReader reader, CliContext ctx, string host, Uri? daemon)
    {
        var hooksDir = Path.Combine(reader.GitDirectory, "hooks");
        Directory.CreateDirectory(hooksDir);
        var path = Path.Combine(hooksDir, "post-commit");
        if (File.Exists(path) && !File.ReadAllText(path).Contains(HookMarker, StringComparison.Ordinal))
        {
            throw new LedgerException(
                $"{path} exists and was not written by Ledger; it is left as it is. Add this line to it yourself:\n  {LedgerInvocation()} record commit HEAD --repo \"$(git rev-parse --show-toplevel)\" --host {host}");
        }

        var env = new List<string>();
        if (ctx.Env("LEDGER_HOME") is { Length: > 0 })
        {
            env.Add($"export LEDGER_HOME={Quote(ctx.Home)}");
        }

        // The daemon's answer names the commit: anything else (no daemon, no curl, another
        // repository or host, an error) falls through to the ledger command, which records it too.
        var askDaemon = daemon is null
            ? ""
            : $"""
              # First the running daemon (ledger serve): it records the commit in milliseconds.
              answer=$(curl -sS --fail --connect-timeout 1 --max-time 30 \
                --data-urlencode "repo=$top" --data-urlencode "sha=$sha" --data-urlencode host={Quote(host)} \
                --data-urlencode "user=$(id -un)" --data-urlencode "sudo_user={"${SUDO_USER:-}"}" \
                {Quote(new Uri(daemon, Serve.CommitEndpoint.Path).ToString())} 2>/dev/null)
              case "$answer" in
                "recorded $sha "*|"known $sha "*) exit 0 ;;
              esac
              """;
        var script = $"""
            #!/bin/sh
            {HookMarker}: records each new commit in Ledger.
            # A failure to record never blocks the commit; it is reported here and in Ledger's log.
            {string.Join("\n", env)}
            top=$(git rev-parse --show-toplevel)
            sha=$(git rev-parse HEAD)
            {askDaemon}
            {LedgerInvocation()} record commit "$sha" --repo "$top" --host {Quote(host)} >/dev/null \
              || echo "ledger: this commit was not recorded; run 'ledger import-git' later to catch up" >&2
            exit 0

            """;
        File.WriteAllText(path, script.Replace("\n\n\n", "\n\n", StringComparison.Ordinal));
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
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
