using Ledger.App.ChangeDocs;
using Ledger.App.Deploy;
using Ledger.App.Recording;
using Ledger.App.Rendering;
using Ledger.App.Reports;
using Ledger.App.Restore;
using Ledger.App.Snapshots;
using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Capture.Host;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Reports;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Core.Validation;
using Ledger.Store;

namespace Ledger.App.Demo;

/// <summary>
/// What <c>ledger demo</c> records and prints, in order: the demo repository imported, snapshots,
/// a validation with one failing check, two deploys (one rolled back), a restore, the alerts (a
/// chapter the caller supplies: the CLI sends them through a real <c>ledger serve</c>), the
/// timeline, the change docs and the report, and what to try next.
/// </summary>
internal static class DemoStory
{
    public const string DemoHost = "mediabox";

    /// <summary>Runs the story on an open store; returns the exit code of <c>ledger demo</c>.</summary>
    public static async Task<int> RunAsync(LedgerStore store, DemoSettings ctx, TextWriter o, Func<LedgerStore, string, CancellationToken, Task> alerts, CancellationToken ct)
    {
        var folder = ctx.Folder;
        var created = DemoRepositoryBuilder.EnsureCreated(folder);
        await o.WriteLineAsync(created
            ? $"Created a NixOS configuration repository for host '{DemoHost}' with {DemoRepository.Commits.Count} commits in {folder}"
            : $"Using the demo repository already in {folder}");

        using var reader = GitHistoryReader.Open(folder);
        var result = await GitImport.RunAsync(store, reader, DemoHost, ctx.Actor, null, ct);
        await o.WriteLineAsync($"Imported: {Plural.Of(result.Recorded, "commit")} recorded, {result.Skipped} already recorded.");
        await o.WriteLineAsync();

        // The demo host's GPU, containers and rebuild are stand-ins (see DemoFakes); storage and
        // system are read from this machine, labelled as the demo host.
        var bin = Path.Combine(ctx.Home, "demo", "bin");
        var programs = Programs.In(DemoFakes.Install(bin));
        await o.WriteLineAsync("The demo host's nixos-rebuild, nvidia-smi, podman and nix are stand-ins that print");
        await o.WriteLineAsync("recorded sample output (an NVIDIA L40S, three containers), not this machine's;");
        await o.WriteLineAsync($"they are in {bin}. Storage and system are read from this machine.");
        var taken = await Snapshotter.TakeAsync(store, Snapshotter.Kinds, DemoHost, ctx.Actor, programs, [new MountSpec("/", "hot")], ct);
        await o.WriteLineAsync($"Snapshots: {string.Join(", ", taken.Recorded.Entries.Select(e => $"#{e.Seq} {e.Kind} ({e.Title}){(e.Kind is "gpu-snapshot" or "container-snapshot" ? " [stand-in]" : "")}"))}");
        await o.WriteLineAsync();

        await o.WriteLineAsync(created ? "Validation (GPU, containers and rebuild from the stand-ins; one check fails on purpose: radarr keeps crashing on the demo host):" : "Validation (GPU, containers and rebuild from the stand-ins):");
        var checks = Checklist.Parse(DemoChecklist(folder), "demo checklist").Checks;
        var validation = await Validator.RunAsync(store, checks, DemoHost, ctx.Actor, programs, reader.Head, o, ct);
        await o.WriteLineAsync($"ledger validate would exit {validation.ExitCode} here.");
        await o.WriteLineAsync();
        if (created)
        {
            await DeployStoryAsync(store, ctx, o, programs, folder, ct);
        }
        else
        {
            await o.WriteLineAsync($"(The deploy, rollback and restore story ran when {folder} was created; delete that folder to see it again.)");
            await o.WriteLineAsync();
        }

        await alerts(store, DemoHost, ct);

        var zone = TimeZoneInfo.Local;
        await o.WriteLineAsync("Config changes and deploys on the demo host (ledger timeline --host mediabox --kind config-edit --kind deploy):");
        var page = await store.TimelineAsync(new TimelineQuery { Host = DemoHost, Kinds = ["config-edit", "deploy"], Limit = 30 }, ct);
        var table = TextTable.For(page, showHost: false, width: null, zone);
        await o.WriteLineAsync(table.Header);
        foreach (var e in page)
        {
            await o.WriteLineAsync(table.Row(e));
        }

        var newest = page.FirstOrDefault(e => e.Kind == "config-edit");
        var dbFlag = ctx.ExplicitDb ? " --db \"$LEDGER_DB\"" : "";
        await o.WriteLineAsync();
        await WriteDocsAndReportAsync(store, ctx, o, newest?.Timestamp ?? DateTimeOffset.UtcNow, ct);

        await o.WriteLineAsync("Try next:");
        var demoChecks = Path.Combine(ctx.Home, "demo", "checks.json");
        var standIns = $"PATH={Path.Combine(ctx.Home, "demo", "bin")}:$PATH ";
        await o.WriteLineAsync($"  ledger tui --host {DemoHost}{dbFlag}                               # browse, filter, see diffs (? lists the keys)");
        await o.WriteLineAsync($"  {standIns}ledger tui --host {DemoHost} --config {demoChecks}{dbFlag}");
        await o.WriteLineAsync("                                                               # the same with the demo's stand-ins and checklist: v validates, R restores");
        await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --kind config-edit{dbFlag}        # only config changes");
        await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --grep nvidia --json{dbFlag}       # search payloads, as JSON");
        if (newest is not null)
        {
            await o.WriteLineAsync($"  ledger show {newest.Seq}{dbFlag}                                     # files, line ranges and the diff");
            await o.WriteLineAsync($"  ledger annotate {newest.Seq} --purpose \"...\" --notes \"...\"{dbFlag}  # add why and links");
        }

        await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --kind validation{dbFlag}          # what was validated, and how it went");
        await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --kind alert{dbFlag}               # what Alertmanager reported");
        var reported = await store.TimelineAsync(new TimelineQuery { Host = DemoHost, Kinds = ["alert"], Limit = 10 }, ct);
        if (reported.FirstOrDefault(e => e.Type == "alert_fired") is { } fired)
        {
            // The demo's history starts weeks back: a window that reaches its first commit.
            var days = (int)Math.Ceiling((DateTimeOffset.UtcNow - DemoRepository.Commits[0].When).TotalDays) + 1;
            await o.WriteLineAsync($"  ledger why {fired.Seq} --window {days}d{dbFlag}                      # which changes likely caused the GPU alert, and why");
        }

        await o.WriteLineAsync($"  ledger serve --listen 127.0.0.1:9977                         # the daemon: webhook, /metrics, /healthz, schedules");
        await o.WriteLineAsync($"  ledger timeline --host {DemoHost} --kind deploy --kind restore{dbFlag}   # the deploys, the rollback, the restore");
        await o.WriteLineAsync($"  {standIns}ledger restore --to {newest?.Seq ?? 1} --repo {folder} --host {DemoHost} --dry-run{dbFlag}  # what a restore would change");
        await o.WriteLineAsync($"  ledger validate --example-config > checks.json && ledger validate --config checks.json  # your own checklist");
        await o.WriteLineAsync($"  ledger snapshot all                                          # this machine's GPU, containers, storage, system");
        await o.WriteLineAsync($"  ledger backup {Path.Combine(folder, "configuration.nix")}{dbFlag}");
        await o.WriteLineAsync($"  git -C {folder} commit --allow-empty -m 'Test' && ledger record commit --repo {folder} --host {DemoHost}{dbFlag}");
        await o.WriteLineAsync($"  ledger import-git --repo /etc/nixos                          # your own configuration");
        await o.WriteLineAsync($"  psql \"$(ledger db url)\"                                      # the events in SQL");
        await o.WriteLineAsync("(Run these with 'dotnet run --project src/Ledger.Cli --' in place of 'ledger' from a source checkout.)");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Two deploys (one validates; one breaks jellyfin and is rolled back automatically), then a
    /// restore to an earlier event: the same engines as ledger deploy and ledger restore.
    /// </summary>
    private static async Task DeployStoryAsync(LedgerStore store, DemoSettings ctx, TextWriter o, Programs programs, string folder, CancellationToken ct)
    {
        var checks = Path.Combine(ctx.Home, "demo", "checks.json");
        await File.WriteAllTextAsync(checks, DemoChecklist(folder), ct);
        var op = new OperationContext(store, DemoHost, ctx.Actor, programs, checks, o, ctx.Env);
        var containers = Path.Combine(folder, "modules", "media", "containers.nix");

        await o.WriteLineAsync("== ledger deploy -m \"Give radarr a memory limit after its OOM kills\" --auto-rollback ==");
        var text = await File.ReadAllTextAsync(containers, ct);
        await File.WriteAllTextAsync(containers, text.Replace("      image = \"lscr.io/linuxserver/radarr:5.16.3\";", "      image = \"lscr.io/linuxserver/radarr:5.16.3\";\n      extraOptions = [ \"--memory=2g\" ];", StringComparison.Ordinal), ct);
        var first = await new DeployEngine(op).RunAsync(folder, new DeployRequest("Give radarr a memory limit after its OOM kills", "switch", ".#mediabox", AutoRollback: true, Validate: true), ct);
        await o.WriteLineAsync(first.Message);
        await o.WriteLineAsync();

        await o.WriteLineAsync("== ledger deploy -m \"Try the Jellyfin 10.11 release candidate\" --auto-rollback ==");
        text = await File.ReadAllTextAsync(containers, ct);
        await File.WriteAllTextAsync(containers, text.Replace("docker.io/jellyfin/jellyfin:10.10.3", "docker.io/jellyfin/jellyfin:10.11.0-rc1-BROKEN", StringComparison.Ordinal), ct);
        var second = await new DeployEngine(op).RunAsync(folder, new DeployRequest("Try the Jellyfin 10.11 release candidate", "switch", ".#mediabox", AutoRollback: true, Validate: true), ct);
        await o.WriteLineAsync(second.Message);
        await o.WriteLineAsync($"(ledger deploy would exit {second.ExitCode}: a rolled-back deploy is not a success.)");
        await o.WriteLineAsync();

        // An experiment committed by hand (the post-commit hook records it), then back to the known-good deploy.
        var prometheus = Path.Combine(folder, "modules", "monitoring", "prometheus.nix");
        var experiment = DemoRepositoryBuilder.CommitChange(
            folder,
            "modules/monitoring/prometheus.nix",
            (await File.ReadAllTextAsync(prometheus, ct)).Replace("scrape_interval", "# experiment: scrape every 5 s\n  # scrape_interval", StringComparison.Ordinal),
            "Experiment: faster scrapes");
        await CommitRecorder.RecordAsync(store, folder, experiment, DemoHost, ctx.Actor, ct);

        var goodDeploy = (await store.LastValidatedDeployAsync(DemoHost, Path.TrimEndingDirectorySeparator(folder), ct))!;
        await o.WriteLineAsync($"== git commit -m \"Experiment: faster scrapes\"; then ledger restore --to {goodDeploy.Seq} --reason \"Back to the last validated deploy\" --yes ==");
        var engine = new RestoreEngine(op);
        var plan = await engine.PlanAsync(folder, goodDeploy.Seq, ct);
        await RestoreEngine.WritePlanAsync(o, plan, RestoreEngine.Git);
        var restored = await engine.ExecuteAsync(folder, plan, new RestoreRequest(RestoreEngine.Git, "Back to the last validated deploy", Stash: false, Automatic: false, Validate: true, Flake: ".#mediabox"), heldLock: null, ct);
        await o.WriteLineAsync(restored.Message);
        await o.WriteLineAsync();
    }

    /// <summary>The change docs and the report of the newest change's month, as ledger docs and ledger report write them.</summary>
    private static async Task WriteDocsAndReportAsync(LedgerStore store, DemoSettings ctx, TextWriter o, DateTimeOffset newest, CancellationToken ct)
    {
        var zone = ctx.TimeZone;
        var templates = new Templates(null);
        var docs = Path.Combine(ctx.Home, "demo", "docs");
        var reports = Path.Combine(ctx.Home, "demo", "reports");
        var files = await ChangeDocSet.RenderAsync(store, DemoHost, zone, templates, ct);
        await GeneratedFiles.WriteAsync(docs, files, ct);
        var month = ReportMonth.Containing(newest, zone);
        Directory.CreateDirectory(reports);
        foreach (var format in new[] { "md", "html" })
        {
            var model = await MonthlyReportBuilder.BuildAsync(store, DemoHost, month, zone, ReportRenderer.DocsLink(reports, docs), format == "html", ct);
            await File.WriteAllTextAsync(Path.Combine(reports, $"{DemoHost}-{month}.{format}"), ReportRenderer.Render(templates, model, format), new System.Text.UTF8Encoding(false), ct);
        }

        await o.WriteLineAsync($"Change docs ({files.Count - 1} and INDEX.md): {docs}   (ledger docs --out {docs} --host {DemoHost})");
        await o.WriteLineAsync($"Monthly report: {Path.Combine(reports, $"{DemoHost}-{month}.md")} and .html   (ledger report monthly --month {month} --host {DemoHost})");
        await o.WriteLineAsync();
    }

    /// <summary>The demo host's checklist: everything passes except the containers check (radarr exited); the disk check fails only on a disk 98% full.</summary>
    private static string DemoChecklist(string repo) => $$"""
        { "checks": [
          { "name": "nixos-rebuild-test", "kind": "nixos-rebuild", "mode": "test", "flake": ".#mediabox", "repo": "{{repo}}" },
          { "name": "containers", "kind": "containers", "expected": ["jellyfin", "sonarr", "radarr"], "maxRestarts": 3 },
          { "name": "gpu", "kind": "gpu" },
          { "name": "disk-root", "kind": "disk", "mount": "/", "maxUsedPercent": 98 },
          { "name": "doc-headers", "kind": "doc-headers", "root": "{{repo}}", "globs": ["modules/**/*.nix"] }
        ] }
        """;
}
