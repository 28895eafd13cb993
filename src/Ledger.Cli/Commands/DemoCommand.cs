using System.CommandLine;
using Ledger.Capture.Git;
using Ledger.Capture.Host;
using Ledger.Cli.Demo;
using Ledger.Cli.Output;
using Ledger.Core.Errors;
using Ledger.Core.Timeline;
using Ledger.Core.Validation;

namespace Ledger.Cli.Commands;

internal static class DemoCommand
{
    public const string DemoHost = "mediabox";

    /// <summary>The demo host's checklist: everything passes except the containers check (radarr exited).</summary>
    private static string DemoChecklist(string repo) => $$"""
        { "checks": [
          { "name": "nixos-rebuild-test", "kind": "nixos-rebuild", "mode": "test", "flake": ".#mediabox", "repo": "{{repo}}" },
          { "name": "containers", "kind": "containers", "expected": ["jellyfin", "sonarr", "radarr"], "maxRestarts": 3 },
          { "name": "gpu", "kind": "gpu" },
          { "name": "disk-root", "kind": "disk", "mount": "/", "maxUsedPercent": 100 },
          { "name": "doc-headers", "kind": "doc-headers", "root": "{{repo}}", "globs": ["modules/**/*.nix"] }
        ] }
        """;

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

            // The demo host's GPU, containers and rebuild are stand-ins (see DemoFakes); storage and
            // system are read from this machine, labelled as the demo host.
            var programs = Programs.In(DemoFakes.Install(Path.Combine(ctx.Home, "demo", "bin")));
            var taken = await SnapshotCommand.TakeAsync(store, SnapshotCommand.Kinds, DemoHost, ctx.Actor, programs, [new MountSpec("/", "hot")], ct);
            await o.WriteLineAsync($"Snapshots: {string.Join(", ", taken.Recorded.Entries.Select(e => $"#{e.Seq} {e.Kind} ({e.Title})"))}");
            await o.WriteLineAsync();

            await o.WriteLineAsync("Validation (one check fails on purpose: radarr has crashed on the demo host):");
            var checks = Checklist.Parse(DemoChecklist(folder), "demo checklist").Checks;
            var validation = await ValidateCommand.RunAsync(store, checks, DemoHost, ctx.Actor, programs, reader.Head, o, ct);
            await o.WriteLineAsync($"ledger validate would exit {validation.ExitCode} here.");
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

            await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --kind validation{dbFlag}          # what was validated, and how it went");
            await o.WriteLineAsync($"  ledger validate --example-config > checks.json && ledger validate --config checks.json  # your own checklist");
            await o.WriteLineAsync($"  ledger snapshot all                                          # this machine's GPU, containers, storage, system");
            await o.WriteLineAsync($"  ledger backup {Path.Combine(folder, "configuration.nix")}{dbFlag}");
            await o.WriteLineAsync($"  git -C {folder} commit --allow-empty -m 'Test' && ledger record commit --repo {folder} --host {DemoHost}{dbFlag}");
            await o.WriteLineAsync($"  ledger import-git --repo /etc/nixos                          # your own configuration");
            await o.WriteLineAsync($"  psql \"$(ledger db url)\"                                      # the events in SQL");
            await o.WriteLineAsync("(Run these with 'dotnet run --project src/Ledger.Cli --' in place of 'ledger' from a source checkout.)");
            return ExitCodes.Success;
        });
        return command;
    }
}
