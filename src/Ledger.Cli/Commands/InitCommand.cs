using System.CommandLine;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class InitCommand
{
    public const string HookMarker = "# Installed by 'ledger init --hooks'";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var repo = CommonOptions.Repo();
        var host = CommonOptions.RecordHost();
        var hooks = new Option<bool>("--hooks") { Description = "Install a git post-commit hook that records every new commit" };
        var command = new Command("init", "Register a configuration repository (and optionally install the post-commit hook)") { repo, host, hooks };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            using var reader = GitHistoryReader.Open(r.GetValue(repo)!);
            var hostName = r.GetValue(host) ?? ctx.DefaultHost;
            var installHook = r.GetValue(hooks);
            if (installHook)
            {
                var path = InstallHook(reader, ctx, hostName);
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

    private static string InstallHook(GitHistoryReader reader, CliContext ctx, string host)
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

        var script = $"""
            #!/bin/sh
            {HookMarker}: records each new commit in Ledger.
            # A failure to record never blocks the commit; it is reported here and in Ledger's log.
            {string.Join("\n", env)}
            {LedgerInvocation()} record commit HEAD --repo "$(git rev-parse --show-toplevel)" --host {Quote(host)} >/dev/null \
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
