using System.CommandLine;
using Ledger.App.Backups;
using Ledger.Core.Errors;

namespace Ledger.Cli.Commands;

internal static class BackupCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var paths = new Argument<string[]>("path") { Description = "Files to back up", Arity = ArgumentArity.OneOrMore };
        var reason = new Option<string?>("--reason") { Description = "Why (e.g. 'before enabling NVENC')" };
        var maxSize = new Option<long>("--max-size") { Description = "Refuse files larger than this many bytes", DefaultValueFactory = _ => FileBackup.DefaultMaxBytes };
        var scope = RepoTarget.Create("The configuration repository whose HEAD is recorded as the commit in effect");
        var json = CommonOptions.Json();
        var command = new Command("backup", "Store files' content (deduplicated by SHA-256), one backup event per changed file") { paths, reason, maxSize, scope.Repo, scope.Host, json };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var asJson = r.GetValue(json);
            var files = await FileBackup.ReadAllAsync(r.GetValue(paths)!, r.GetValue(maxSize), ct);
            await using var store = await ctx.OpenStoreAsync(ct);
            var recorded = await FileBackup.BackupAllAsync(
                store,
                files,
                r.GetValue(scope.Repo)!,
                scope.HostOf(r, ctx),
                ctx.Actor,
                r.GetValue(reason),
                async f =>
                {
                    if (!asJson)
                    {
                        await ctx.Out.WriteLineAsync(f.IsNew
                            ? $"#{f.Seq} backed up {f.File.Path} ({f.File.SizeBytes} bytes, sha256 {f.File.Sha256[..12]})"
                            : $"{f.File.Path} is unchanged since backup #{f.Seq}; nothing recorded.");
                    }
                },
                ct);
            if (asJson)
            {
                await recorded.WriteJsonAsync(ctx.Out);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
