using System.CommandLine;
using Ledger.Capture.Git;
using Ledger.Cli.Demo;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Timeline;

namespace Ledger.Cli.Commands;

internal static class DemoCommand
{
    public const string DemoHost = "mediabox";

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var dir = new Option<string?>("--dir") { Description = "Where to create the demo NixOS configuration repository (default: $LEDGER_HOME/demo/nixos-config)" };
        var command = new Command("demo", "Start the database, create a demo NixOS config repository, import it and show the timeline") { dir };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var o = ctx.Out;
            var folder = Path.GetFullPath(r.GetValue(dir) ?? Path.Combine(ctx.Home, "demo", "nixos-config"));

            await o.WriteLineAsync("== Ledger demo ==");
            await o.WriteLineAsync(ctx.ExplicitDb is null ? $"Database: embedded PostgreSQL under {ctx.Home}" : "Database: from --db / LEDGER_DB");
            await using var store = await ctx.OpenStoreAsync(ct);
            await o.WriteLineAsync($"          {store.Description}");

            var created = DemoRepositoryBuilder.EnsureCreated(folder);
            await o.WriteLineAsync(created
                ? $"Created a NixOS configuration repository for host '{DemoHost}' with {DemoRepository.Commits.Count} commits in {folder}"
                : $"Using the demo repository already in {folder}");

            using var reader = GitHistoryReader.Open(folder);
            var result = await GitImport.RunAsync(store, reader, DemoHost, ctx.Actor, null, ct);
            await o.WriteLineAsync($"Imported: {result.Recorded} commits recorded, {result.Skipped} already recorded.");
            await o.WriteLineAsync();

            var zone = TimeZoneInfo.Local;
            var page = await store.TimelineAsync(new TimelineQuery { Host = DemoHost, Limit = 20 }, ct);
            await o.WriteLineAsync(TextTable.Header);
            foreach (var e in page)
            {
                await o.WriteLineAsync(TextTable.Row(e, zone));
            }

            var newest = page.FirstOrDefault(e => e.Kind == "config-edit");
            var dbFlag = ctx.ExplicitDb is null ? "" : " --db \"$LEDGER_DB\"";
            await o.WriteLineAsync();
            await o.WriteLineAsync("Try next:");
            await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --kind config-edit{dbFlag}        # only config changes");
            await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --grep nvidia --json{dbFlag}       # search payloads, as JSON");
            if (newest is not null)
            {
                await o.WriteLineAsync($"  ledger show {newest.Seq}{dbFlag}                                     # files, line ranges and the diff");
                await o.WriteLineAsync($"  ledger annotate {newest.Seq} --purpose \"...\" --notes \"...\"{dbFlag}  # add why and links");
            }

            await o.WriteLineAsync($"  git -C {folder} commit --allow-empty -m 'Test' && ledger record commit --repo {folder} --host {DemoHost}{dbFlag}");
            await o.WriteLineAsync($"  ledger import-git --repo /etc/nixos                          # your own configuration");
            await o.WriteLineAsync($"  psql \"$(ledger db url)\"                                      # the events in SQL");
            await o.WriteLineAsync("(Run these with 'dotnet run --project src/Ledger.Cli --' in place of 'ledger' from a source checkout.)");
            return ExitCodes.Success;
        });
        return command;
    }
}
