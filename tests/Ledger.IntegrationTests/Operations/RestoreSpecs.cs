using System.Diagnostics;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Checks;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Operations;

/// <summary>restore-to-event and deploy against real git repositories and a fake nixos-rebuild that records its argv.</summary>
public sealed class RestoreSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly TempDirectory _bin = new("ledger-bin");
    private readonly GitRepo _repo = new();
    private readonly string _calls;
    private readonly string _exitFile;
    private readonly string _rebuild;

    public RestoreSpecs(DatabaseFixture db)
    {
        _db = db;
        _calls = Path.Combine(_bin.Path, "calls");
        _exitFile = Path.Combine(_bin.Path, "exit");
        File.WriteAllText(_exitFile, "0");
        _rebuild = FakeProgram.Write(_bin.Path, "nixos-rebuild", $"#!/bin/sh\necho \"$@\" >> '{_calls}'\necho 'building the system configuration...'\nexit $(cat '{_exitFile}')\n");
    }

    public void Dispose()
    {
        _repo.Dispose();
        _bin.Dispose();
        _home.Dispose();
    }

    private CliRun Cli(string host) => new(_db.ConnectionString, _home.Path, host, new Dictionary<string, string?>
    {
        ["LEDGER_NIXOS_REBUILD"] = _rebuild,
        ["LEDGER_SYSTEM_PROFILE"] = Path.Combine(_bin.Path, "no-profile"),
    });

    private string[] Calls() => File.Exists(_calls) ? File.ReadAllLines(_calls) : [];

    /// <summary>Three commits with a rename and a deletion between the first and the last, imported.</summary>
    private async Task<(string First, long FirstSeq)> HistoryAsync(string host)
    {
        _repo.Write("configuration.nix", "{ imports = [ ./media.nix ./gpu.nix ]; }\n");
        _repo.Write("media.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Write("gpu.nix", "{ hardware.nvidia.open = false; }\n");
        var first = _repo.Commit("Known good");
        _repo.Git("mv", "media.nix", "jellyfin.nix");
        _repo.Commit("Rename media module");
        _repo.Delete("gpu.nix");
        _repo.Write("configuration.nix", "{ imports = [ ./jellyfin.nix ]; }\n");
        _repo.Commit("Drop the GPU module");
        (await Cli(host).RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var seq = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Limit = null })).Single(e => e.Title.Contains("Known good", StringComparison.Ordinal)).Seq;
        return (first, seq);
    }

    private static string S(long seq) => seq.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Restore_makes_a_new_commit_with_the_target_tree_switches_once_and_records_every_step()
    {
        var (first, seq) = await HistoryAsync("r-host");
        var oldHead = _repo.Head();

        var run = await Cli("r-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes", "--reason", "GPU module is needed");

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        run.Out.ShouldContain("renamed   jellyfin.nix -> media.nix");
        run.Out.ShouldContain("added     gpu.nix");
        var head = _repo.Head();
        head.ShouldNotBe(first);
        _repo.Git("rev-parse", "HEAD^{tree}").ShouldBe(_repo.Git("rev-parse", first + "^{tree}"));
        _repo.Git("merge-base", "--is-ancestor", oldHead, head);
        _repo.Git("log", "-1", "--format=%s").Trim().ShouldBe($"Restore to event #{seq}: GPU module is needed");
        _repo.Git("status", "--porcelain").ShouldBeEmpty();
        File.Exists(Path.Combine(_repo.Path, "gpu.nix")).ShouldBeTrue();
        File.Exists(Path.Combine(_repo.Path, "jellyfin.nix")).ShouldBeFalse();
        Calls().ShouldBe(["switch"]);
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = "r-host", Kinds = ["restore"], Limit = null });
        events.Select(e => e.Type).Reverse().ShouldBe(["restore_started", .. Enumerable.Repeat("restore_step_completed", 6), "restore_completed"]);
        ((RestoreCompleted)events[0].Data).NewCommit.ShouldBe(head);
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "r-host", Kinds = ["config-edit"], Limit = null }))[0].Title.ShouldContain("Restore to event");
        File.Exists(Path.Combine(_repo.Path, ".git", "ledger.lock")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_restore_reason_and_a_deploy_message_are_stored_redacted_issue_15()
    {
        var (_, seq) = await HistoryAsync("secret-ops");
        var cli = Cli("secret-ops");
        const string Token = "ghp_9naHVck6pbd4ZRj2SxphvDTwrzqwo72n3wZu";

        var restore = await cli.RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes", "--reason", "the db password=Sup3rS3cretRestore was wrong");
        _repo.Write("extra.nix", "{ }\n");
        var deploy = await cli.RunAsync("deploy", "-m", $"rotate the GitHub token {Token}", "--repo", _repo.Path, "--no-validate");

        restore.ExitCode.ShouldBe(0, restore.Err);
        deploy.ExitCode.ShouldBe(0, deploy.Err);
        var stored = (string)(await _db.ScalarAsync("select string_agg(data::text, ' ') from ledger.mt_events"))!;
        stored.ShouldNotContain("Sup3rS3cretRestore");
        stored.ShouldNotContain(Token);
        stored.ShouldContain("the db password=[REDACTED:");
        (restore.Out + restore.Err + deploy.Out + deploy.Err).ShouldNotContain("Sup3rS3cretRestore");
    }

    [Fact]
    public async Task Dry_run_and_an_already_effective_target_change_nothing()
    {
        var (_, seq) = await HistoryAsync("dry-host");
        var head = _repo.Head();
        var newest = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "dry-host" }))[0].Seq;

        var dry = await Cli("dry-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--dry-run");
        var same = await Cli("dry-host").RunAsync("restore", "--to", S(newest), "--repo", _repo.Path, "--yes");

        dry.ExitCode.ShouldBe(0, dry.Out + dry.Err);
        dry.Out.ShouldContain("ok:   nothing stops this restore");
        dry.Out.ShouldContain("Dry run: nothing was changed; the restore is ready to run.");
        same.ExitCode.ShouldBe(0);
        same.Out.ShouldContain("already in effect");
        _repo.Head().ShouldBe(head);
        Calls().ShouldBeEmpty();
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "dry-host", Kinds = ["restore"] })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_exit_2_before_anything_changes()
    {
        var (_, seq) = await HistoryAsync("bad-host");
        var head = _repo.Head();
        (await Cli("other-host").RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var otherSeq = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "other-host" }))[0].Seq;

        var unknown = await Cli("bad-host").RunAsync("restore", "--to", "999999", "--repo", _repo.Path, "--yes");
        var otherHost = await Cli("bad-host").RunAsync("restore", "--to", S(otherSeq), "--repo", _repo.Path, "--yes");
        var noTerminal = await Cli("bad-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path);
        _repo.Write("configuration.nix", "{ half-edited }\n");
        var dirty = await Cli("bad-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes");

        unknown.ExitCode.ShouldBe(2);
        unknown.Err.ShouldContain("There is no event #999999");
        otherHost.ExitCode.ShouldBe(2);
        otherHost.Err.ShouldContain("is about host 'other-host'");
        noTerminal.ExitCode.ShouldBe(2);
        noTerminal.Err.ShouldContain("--yes");
        dirty.ExitCode.ShouldBe(2);
        dirty.Err.ShouldContain("uncommitted changes");
        dirty.Err.ShouldContain("--stash");
        _repo.Head().ShouldBe(head);
        Calls().ShouldBeEmpty();
    }

    [Fact]
    public async Task Stash_sets_local_changes_aside_and_records_it()
    {
        var (first, seq) = await HistoryAsync("stash-host");
        _repo.Write("configuration.nix", "{ half-edited }\n");
        _repo.Write("notes.txt", "untracked\n");

        var run = await Cli("stash-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes", "--stash");

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        _repo.Git("stash", "list").ShouldContain("ledger restore");
        _repo.Git("rev-parse", "HEAD^{tree}").ShouldBe(_repo.Git("rev-parse", first + "^{tree}"));
        File.Exists(Path.Combine(_repo.Path, "notes.txt")).ShouldBeFalse();
        run.Out.ShouldContain("local changes stashed");
    }

    [Fact]
    public async Task A_failed_switch_leaves_the_repository_as_it_was_and_no_event_claims_success()
    {
        var (_, seq) = await HistoryAsync("fail-host");
        var head = _repo.Head();
        var edits = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "fail-host", Kinds = ["config-edit"], Limit = null })).Count;
        File.WriteAllText(_exitFile, "1");

        var run = await Cli("fail-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes");

        run.ExitCode.ShouldBe(1, run.Out + run.Err);
        Calls().ShouldBe(["switch"]);
        _repo.Head().ShouldBe(head, "the restore's commit is taken back and no undo commit is made: the attempt lives in the ledger, not in git history");
        _repo.Git("status", "--porcelain").ShouldBeEmpty();
        File.Exists(Path.Combine(_repo.Path, "gpu.nix")).ShouldBeFalse("a file of the target that HEAD lacks is gone again");
        File.Exists(Path.Combine(_repo.Path, "media.nix")).ShouldBeFalse();
        _repo.Git("reflog", "-1", "--format=%gs").ShouldContain("failed at switch; its commit is taken back");
        run.Out.ShouldContain("Its commit was taken back: the repository is at");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "fail-host", Kinds = ["config-edit"], Limit = null })).Count.ShouldBe(edits);
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = "fail-host", Kinds = ["restore"], Limit = null });
        events.ShouldNotContain(e => e.Type == "restore_completed");
        var failed = (RestoreFailed)events[0].Data;
        failed.Step.ShouldBe("switch");
        failed.UndoneTo.ShouldBe(head);
        failed.Error.ShouldBe("nixos-rebuild switch exited 1: building the system configuration...");
    }

    [Fact]
    public async Task A_failed_switch_puts_changes_set_aside_with_stash_back()
    {
        var (_, seq) = await HistoryAsync("fail-stash-host");
        var head = _repo.Head();
        _repo.Write("configuration.nix", "{ half-edited }\n");
        _repo.Write("notes.txt", "untracked\n");
        File.WriteAllText(_exitFile, "1");

        var run = await Cli("fail-stash-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes", "--stash");

        run.ExitCode.ShouldBe(1, run.Out + run.Err);
        _repo.Head().ShouldBe(head);
        File.ReadAllText(Path.Combine(_repo.Path, "configuration.nix")).ShouldBe("{ half-edited }\n");
        File.ReadAllText(Path.Combine(_repo.Path, "notes.txt")).ShouldBe("untracked\n");
        _repo.Git("stash", "list").ShouldBeEmpty();
        run.Out.ShouldContain("Your local changes are back in the working tree.");
    }

    [Theory]
    [InlineData("lock")]
    [InlineData("stash")]
    [InlineData("commit")]
    [InlineData("checkout")]
    [InlineData("switch")]
    public async Task A_restore_killed_after_any_step_resumes_to_the_target_tree(string step)
    {
        var (first, seq) = await HistoryAsync($"kill-{step}");
        var oldHead = _repo.Head();

        var killed = await RunLedgerProcessAsync($"kill-{step}", step, "restore", "--to", S(seq), "--repo", _repo.Path, "--yes");
        var resumed = await Cli($"kill-{step}").RunAsync("restore", "--resume", "--repo", _repo.Path);
        var again = await Cli($"kill-{step}").RunAsync("restore", "--resume", "--repo", _repo.Path);

        killed.ShouldBe(137);
        resumed.ExitCode.ShouldBe(0, resumed.Out + resumed.Err);
        _repo.Git("rev-parse", "HEAD^{tree}").ShouldBe(_repo.Git("rev-parse", first + "^{tree}"));
        _repo.Git("status", "--porcelain").ShouldBeEmpty();
        _repo.Git("merge-base", "--is-ancestor", oldHead, "HEAD");
        _repo.Git("rev-list", "--count", $"{oldHead}..HEAD").Trim().ShouldBe("1", "exactly one restore commit");
        Calls().ShouldBe(["switch"], "switched exactly once across the kill and the resume");
        again.Out.ShouldContain("no interrupted restore");
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = $"kill-{step}", Kinds = ["restore"], Limit = null });
        events.Count(e => e.Type == "restore_completed").ShouldBe(1);
    }

    [Fact]
    public async Task Deploy_commits_rebuilds_and_a_failed_validation_is_rolled_back_to_the_last_validated_deploy()
    {
        await HistoryAsync("deploy-host");
        var checks = Path.Combine(_home.Path, "checks.json");
        var marker = Path.Combine(_repo.Path, "healthy");
        File.WriteAllText(checks, $$"""{ "checks": [ { "name": "healthy", "kind": "doc-headers", "root": "{{_repo.Path}}", "globs": ["*.nix"] } ] }""");
        _repo.Write("configuration.nix", "# Purpose: media box\n# Date: 2026-11-27\n# Rollback: ledger restore\n{ imports = [ ./jellyfin.nix ]; }\n");
        _repo.Write("jellyfin.nix", "# Purpose: jellyfin\n# Date: 2026-11-27\n# Rollback: ledger restore\n{ services.jellyfin.enable = true; }\n");
        var cli = Cli("deploy-host");

        var good = await cli.RunAsync("deploy", "-m", "Add headers", "--repo", _repo.Path, "--auto-rollback");
        var goodTree = _repo.Git("rev-parse", "HEAD^{tree}");
        _repo.Write("broken.nix", "{ no header here }\n");
        var bad = await cli.RunAsync("deploy", "-m", "Add a module without a header", "--repo", _repo.Path, "--auto-rollback");

        good.ExitCode.ShouldBe(0, good.Out + good.Err);
        bad.ExitCode.ShouldBe(1, bad.Out + bad.Err);
        bad.Out.ShouldContain("ROLLED BACK");
        _repo.Git("rev-parse", "HEAD^{tree}").ShouldBe(goodTree);
        File.Exists(Path.Combine(_repo.Path, "broken.nix")).ShouldBeFalse();
        Calls().ShouldBe(["switch", "switch", "switch"], "deploy, deploy, rollback");
        var deploys = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "deploy-host", Kinds = ["deploy"], Limit = null }))
            .Select(e => e.Data).OfType<DeployFinished>().ToList();
        deploys.Select(d => (d.Outcome, d.Validated)).ShouldBe([(DeployOutcome.RolledBack, false), (DeployOutcome.Succeeded, true)]);
        File.Exists(marker).ShouldBeFalse();
    }

    [Fact]
    public async Task A_failed_deploy_without_auto_rollback_exits_1_and_says_so()
    {
        await HistoryAsync("deploy-fail-host");
        File.WriteAllText(_exitFile, "1");
        _repo.Write("configuration.nix", "{ syntax error\n");

        var run = await Cli("deploy-fail-host").RunAsync("deploy", "-m", "Break it", "--repo", _repo.Path, "--no-validate");

        run.ExitCode.ShouldBe(1);
        run.Out.ShouldContain("FAILED");
        var finished = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "deploy-fail-host", Kinds = ["deploy"] }))[0].Data.ShouldBeOfType<DeployFinished>();
        finished.Outcome.ShouldBe(DeployOutcome.Failed);
        finished.ExitCode.ShouldBe(1);
    }

    /// <summary>Runs the real ledger binary (so the test-only exit switch can end the process) and returns its exit code.</summary>
    private async Task<int> RunLedgerProcessAsync(string host, string exitAfter, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LEDGER_DB"] = _db.ConnectionString;
        psi.Environment["LEDGER_HOME"] = _home.Path;
        psi.Environment["LEDGER_HOST"] = host;
        psi.Environment["LEDGER_NIXOS_REBUILD"] = _rebuild;
        psi.Environment["LEDGER_SYSTEM_PROFILE"] = Path.Combine(_bin.Path, "no-profile");
        psi.Environment["LEDGER_TEST_EXIT_AFTER_STEP"] = exitAfter;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        _ = await stdout + await stderr;
        return p.ExitCode;
    }

    [Fact]
    public async Task Via_generation_switches_the_profile_to_the_generation_recorded_for_the_target()
    {
        await HistoryAsync("gen-host");
        var profiles = Path.Combine(_bin.Path, "profiles");
        Directory.CreateDirectory(Path.Combine(profiles, "system-41-link", "bin"));
        var nixEnvArgs = Path.Combine(_bin.Path, "nix-env-args");
        var activateArgs = Path.Combine(_bin.Path, "activate-args");
        FakeProgram.Write(Path.Combine(profiles, "system-41-link", "bin"), "switch-to-configuration", $"#!/bin/sh\necho \"$@\" > '{activateArgs}'\n");
        File.CreateSymbolicLink(Path.Combine(profiles, "system"), "system-41-link");
        var nixEnv = FakeProgram.Write(_bin.Path, "nix-env", $"#!/bin/sh\necho \"$@\" > '{nixEnvArgs}'\n");
        var env = new Dictionary<string, string?>
        {
            ["LEDGER_NIXOS_REBUILD"] = _rebuild,
            ["LEDGER_NIX_ENV"] = nixEnv,
            ["LEDGER_SYSTEM_PROFILE"] = Path.Combine(profiles, "system"),
        };
        var cli = new CliRun(_db.ConnectionString, _home.Path, "gen-host", env);
        _repo.Write("configuration.nix", "{ deployed = 41; }\n");
        (await cli.RunAsync("deploy", "-m", "Generation 41", "--repo", _repo.Path, "--no-validate")).ExitCode.ShouldBe(0);
        var deploySeq = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "gen-host", Kinds = ["deploy"] }))[0].Seq;
        _repo.Write("configuration.nix", "{ deployed = 42; }\n");
        _repo.Commit("Later edit");
        (await cli.RunAsync("record", "commit", "--repo", _repo.Path)).ExitCode.ShouldBe(0);

        var run = await cli.RunAsync("restore", "--to", S(deploySeq), "--repo", _repo.Path, "--via", "generation", "--yes");

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        run.Out.ShouldContain("generation: 41");
        File.ReadAllText(nixEnvArgs).Trim().ShouldBe($"--profile {Path.Combine(profiles, "system")} --switch-generation 41");
        File.ReadAllText(activateArgs).Trim().ShouldBe("switch");
        Calls().ShouldBe(["switch"], "only the deploy ran nixos-rebuild; the restore switched the generation");
        File.ReadAllText(Path.Combine(_repo.Path, "configuration.nix")).ShouldBe("{ deployed = 41; }\n");
    }

    [Fact]
    public async Task Restoring_hundreds_of_commits_back_in_a_long_history_gives_that_commits_tree()
    {
        using var dir = new TempDirectory("ledger-long-restore");
        var repo = Path.Combine(dir.Path, "repo");
        await GeneratedHistory.WriteAsync(repo, 600, 11);

        var cli = Cli("long-host");
        (await cli.RunAsync("import-git", "--repo", repo)).ExitCode.ShouldBe(0);
        var view = new GitRepoView(repo);
        var target = view.RevList()[450];
        var oldHead = view.RevList()[0];
        var seq = await _db.Store.FirstSeqOfStreamAsync($"commit:long-host:{repo}:{target}");

        var run = await cli.RunAsync("restore", "--to", S(seq), "--repo", repo, "--yes");

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        view.Git("rev-parse", "HEAD^{tree}").ShouldBe(view.Git("rev-parse", target + "^{tree}"));
        view.Git("status", "--porcelain").ShouldBeEmpty();
        view.Git("rev-parse", "HEAD^").Trim().ShouldBe(oldHead, "one new commit on top of the old history");
        Calls().ShouldBe(["switch"]);
    }

    [Fact]
    public async Task A_restore_or_deploy_held_by_a_live_process_is_refused_and_changes_nothing()
    {
        var (_, seq) = await HistoryAsync("locked-host");
        var head = _repo.Head();
        // pid 1 is always alive: another deploy holds the repository.
        File.WriteAllText(Path.Combine(_repo.Path, ".git", "ledger.lock"), """{"Pid":1,"Operation":"deploy","Since":"2026-11-27T02:00:00+00:00"}""");

        var restore = await Cli("locked-host").RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes");
        var deploy = await Cli("locked-host").RunAsync("deploy", "-m", "x", "--repo", _repo.Path);

        restore.ExitCode.ShouldBe(2);
        restore.Err.ShouldContain("Another deploy (pid 1");
        deploy.ExitCode.ShouldBe(2);
        _repo.Head().ShouldBe(head);
        Calls().ShouldBeEmpty();
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "locked-host", Kinds = ["restore", "deploy"] })).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_nixos_rebuild_is_found_by_the_dry_run_and_refuses_the_restore_before_anything_changes()
    {
        // Seen from the TUI: with no nixos-rebuild at all the engine threw, leaving the new commit,
        // the journal and no restore_failed event behind; later a dry run said all was well.
        var (_, seq) = await HistoryAsync("no-rebuild-host");
        var head = _repo.Head();
        var cli = new CliRun(_db.ConnectionString, _home.Path, "no-rebuild-host", new Dictionary<string, string?>
        {
            ["LEDGER_NIXOS_REBUILD"] = Path.Combine(_bin.Path, "does-not-exist"),
            ["LEDGER_SYSTEM_PROFILE"] = Path.Combine(_bin.Path, "no-profile"),
        });

        var dry = await cli.RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--dry-run");
        var restore = await cli.RunAsync("restore", "--to", S(seq), "--repo", _repo.Path, "--yes");
        _repo.Write("configuration.nix", "{ changed = true; }\n");
        var deploy = await cli.RunAsync("deploy", "-m", "Change", "--repo", _repo.Path, "--no-validate");

        dry.ExitCode.ShouldBe(2, dry.Out + dry.Err);
        dry.Out.ShouldContain($"stop: nixos-rebuild is not an executable file at {Path.Combine(_bin.Path, "does-not-exist")} (LEDGER_NIXOS_REBUILD)");
        dry.Out.ShouldContain("a restore now would be refused (1 problem above, exit 2)");
        restore.ExitCode.ShouldBe(2, restore.Out + restore.Err);
        restore.Err.ShouldContain("The restore cannot start; nothing was changed:");
        restore.Err.ShouldContain("nixos-rebuild is not an executable file");
        File.Exists(Path.Combine(_repo.Path, ".git", "ledger-restore.json")).ShouldBeFalse();
        _repo.Git("log", "--format=%H", "-1", "HEAD~1").Trim().ShouldBe(head, "only the deploy's commit is on top");
        deploy.ExitCode.ShouldBe(1, deploy.Out + deploy.Err);
        deploy.Out.ShouldNotContain("An error occurred trying to start process");
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = "no-rebuild-host", Kinds = ["restore", "deploy"], Limit = null });
        events.ShouldNotContain(e => e.Type.StartsWith("restore_", StringComparison.Ordinal));
        var finished = events.Select(e => e.Data).OfType<DeployFinished>().ShouldHaveSingleItem();
        finished.Outcome.ShouldBe(DeployOutcome.Failed);
    }
}
