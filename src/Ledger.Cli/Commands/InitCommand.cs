using System.CommandLine;
using Ledger.App.Recording;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class InitCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var scope = RepoTarget.Create();
        var hooks = new Option<bool>("--hooks") { Description = "Install a git post-commit hook that records every new commit" };
        var daemon = new Option<string>("--daemon")
        {
            Description = "With --hooks: the running 'ledger serve' the hook asks first (it records in milliseconds); 'none' for the ledger command only",
            DefaultValueFactory = _ => HookInstaller.DefaultDaemon,
        };
        var dbGuards = new Option<bool>("--db-guards")
        {
            Description = "Make events and chain rows append-only (triggers; run as the database owner). Without --repo, only this is done",
        };
        var appRole = new Option<string?>("--app-role")
        {
            Description = "With --db-guards: the role Ledger runs as day to day; it keeps SELECT and INSERT on events and chain rows, nothing more",
        };
        var command = new Command("init", "Register a configuration repository (and optionally install the post-commit hook, or set up the database guards)") { scope.Repo, scope.Host, hooks, daemon, dbGuards, appRole };
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
                var repoGiven = r.GetResult(scope.Repo) is { Implicit: false } || r.GetValue(hooks);
                if (failed || !repoGiven)
                {
                    return failed ? ExitCodes.Failure : ExitCodes.Success;
                }
            }

            using var reader = GitHistoryReader.Open(r.GetValue(scope.Repo)!);
            var hostName = scope.HostOf(r, ctx);
            var installHook = r.GetValue(hooks);
            if (installHook)
            {
                var home = ctx.Env("LEDGER_HOME") is { Length: > 0 } ? ctx.Home : null;
                var path = HookInstaller.Install(reader.GitDirectory, hostName, HookInstaller.DaemonUrl(r.GetValue(daemon)!), home);
                await ctx.Out.WriteLineAsync($"Installed the post-commit hook: {path}");
                if (HookInstaller.BuildWarning() is { } warning)
                {
                    await ctx.Err.WriteLineAsync($"ledger: warning: {warning}");
                }
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
}
