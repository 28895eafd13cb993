using System.Text.Json;
using Ledger.App.Recording;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

public sealed class ImportGitSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly GitRepo _repo = new();

    public ImportGitSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    private CliRun Cli(string host) => new(_db.ConnectionString, _home.Path, host);

    /// <summary>A small history with everything git can do to files: add, modify, rename, delete, binary, empty, merge.</summary>
    private void BuildVariedHistory()
    {
        _repo.Write("configuration.nix", "{ config, pkgs, ... }:\n{\n  networking.hostName = \"box\";\n  services.openssh.enable = true;\n}\n");
        _repo.Write("modules/media.nix", string.Join('\n', Enumerable.Range(1, 40).Select(i => $"  # line {i}")) + "\n");
        _repo.Commit("Initial configuration");

        _repo.Write("configuration.nix", "{ config, pkgs, ... }:\n{\n  networking.hostName = \"mediabox\";\n  services.openssh.enable = true;\n  time.timeZone = \"Europe/Berlin\";\n}\n");
        _repo.Commit("Rename host and set time zone\n\nThe box moved.");

        _repo.Git("mv", "modules/media.nix", "modules/jellyfin.nix");
        _repo.Write("modules/jellyfin.nix", string.Join('\n', Enumerable.Range(1, 40).Select(i => i == 20 ? "  services.jellyfin.enable = true;" : $"  # line {i}")) + "\n");
        _repo.Commit("Rename media module to jellyfin");

        _repo.WriteBytes("assets/logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]);
        _repo.Commit("Add binary logo");

        _repo.Commit("Empty commit to mark a deploy", allowEmpty: true);

        _repo.Git("checkout", "-q", "-b", "gpu");
        _repo.Write("modules/gpu.nix", "{ ... }:\n{\n  hardware.nvidia.open = false;\n}\n");
        _repo.Commit("Add GPU module on a branch");
        _repo.Git("checkout", "-q", "main");
        _repo.Write("configuration.nix", "{ config, pkgs, ... }:\n{\n  networking.hostName = \"mediabox\";\n  services.openssh.enable = true;\n  time.timeZone = \"Europe/Berlin\";\n  boot.loader.systemd-boot.enable = true;\n}\n");
        _repo.Commit("Enable systemd-boot on main");
        _repo.Git("merge", "-q", "--no-ff", "-m", "Merge branch gpu", "gpu");

        _repo.Delete("assets/logo.png");
        _repo.Commit("Remove the logo");
    }

    [Fact]
    public async Task Import_records_one_config_edit_per_commit_matching_git_numstat()
    {
        BuildVariedHistory();
        var cli = Cli("numstat-host");

        var run = await cli.RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0, run.Err);
        var shas = _repo.Git("rev-list", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        run.Out.ShouldContain($"{shas.Length} recorded, 0 already recorded");

        var events = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "numstat-host", Kinds = ["config-edit"], Limit = null }))
            .Select(e => (ConfigEdited)e.Data).ToList();
        events.Select(e => e.Sha).ShouldBe(shas, "newest first, exactly the commits reachable from HEAD");

        foreach (var e in events)
        {
            var expected = GitNumstat.Of(_repo, e.Sha)
                .Select(n => (n.Path, n.OldPath, n.Added ?? 0, n.Deleted ?? 0, n.Added is null))
                .OrderBy(x => x.Path, StringComparer.Ordinal);
            var actual = e.Files
                .Select(f => (f.Path, f.OldPath, f.LinesAdded, f.LinesRemoved, f.Binary))
                .OrderBy(x => x.Path, StringComparer.Ordinal);
            actual.ShouldBe(expected, $"files of {e.Sha[..8]} '{e.Purpose}'");
            e.LinesAdded.ShouldBe(e.Files.Sum(f => f.LinesAdded));
            e.LinesRemoved.ShouldBe(e.Files.Sum(f => f.LinesRemoved));
        }
    }

    [Fact]
    public async Task Commits_carry_author_parents_message_purpose_and_commit_date()
    {
        BuildVariedHistory();
        var cli = Cli("meta-host");

        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);

        var all = await _db.Store.TimelineAsync(new TimelineQuery { Host = "meta-host", Limit = null });
        var renameHost = all.Single(e => ((ConfigEdited)e.Data).Purpose == "Rename host and set time zone");
        var c = (ConfigEdited)renameHost.Data;
        c.Message.ShouldBe("Rename host and set time zone\n\nThe box moved.\n");
        c.Author.ShouldBe("Test Admin");
        c.AuthorEmail.ShouldBe("admin@example.org");
        c.Parents.Count.ShouldBe(1);
        renameHost.Timestamp.ShouldBe(c.CommittedAt);
        c.CommittedAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero));
        c.Repo.ShouldBe(Path.GetFullPath(_repo.Path));
        c.Host.ShouldBe("meta-host");
        c.Actor.ShouldBe(Environment.UserName);

        var merge = (ConfigEdited)all.Single(e => ((ConfigEdited)e.Data).Purpose == "Merge branch gpu").Data;
        merge.Parents.Count.ShouldBe(2);
        merge.Files.Select(f => f.Path).ShouldBe(["modules/gpu.nix"], "a merge is diffed against its first parent");

        var empty = (ConfigEdited)all.Single(e => ((ConfigEdited)e.Data).Purpose == "Empty commit to mark a deploy").Data;
        empty.Files.ShouldBeEmpty();

        var rename = (ConfigEdited)all.Single(e => ((ConfigEdited)e.Data).Purpose == "Rename media module to jellyfin").Data;
        var renamed = rename.Files.ShouldHaveSingleItem();
        renamed.Kind.ShouldBe(FileChangeKind.Renamed);
        renamed.OldPath.ShouldBe("modules/media.nix");
        renamed.Ranges.ShouldBe([new LineRange(20, 20)]);

        var binary = (ConfigEdited)all.Single(e => ((ConfigEdited)e.Data).Purpose == "Add binary logo").Data;
        var logo = binary.Files.ShouldHaveSingleItem();
        logo.Binary.ShouldBeTrue();
        logo.Patch.ShouldBeNull();

        var tz = c.Files.ShouldHaveSingleItem();
        tz.Ranges.ShouldBe([new LineRange(3, 3), new LineRange(5, 5)]);
        tz.Patch.ShouldNotBeNull().ShouldContain("+  time.timeZone = \"Europe/Berlin\";");
    }

    [Fact]
    public async Task Importing_twice_records_nothing_the_second_time()
    {
        BuildVariedHistory();
        var cli = Cli("idem-host");
        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        var count = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "idem-host", Limit = null })).Count;

        var second = await cli.RunAsync("import-git", "--repo", _repo.Path);

        second.ExitCode.ShouldBe(0);
        second.Out.ShouldContain($"0 recorded, {count} already recorded");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "idem-host", Limit = null })).Count.ShouldBe(count);
    }

    [Fact]
    public async Task New_commits_after_an_import_are_picked_up_by_the_next_import()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("First");
        var cli = Cli("incr-host");
        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        _repo.Write("a.nix", "{ x = 1; }\n");
        _repo.Commit("Second");

        var run = await cli.RunAsync("import-git", "--repo", _repo.Path);

        run.Out.ShouldContain("1 recorded, 1 already recorded");
    }

    [Fact]
    public async Task The_same_commit_on_another_host_is_another_fact()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("Shared");

        (await Cli("host-one").RunAsync("import-git", "--repo", _repo.Path)).Out.ShouldContain("1 recorded");
        (await Cli("host-two").RunAsync("import-git", "--repo", _repo.Path)).Out.ShouldContain("1 recorded");
    }

    [Fact]
    public async Task Record_commit_records_once_and_keeps_later_purpose_as_an_annotation()
    {
        _repo.Write("a.nix", "{ }\n");
        var sha = _repo.Commit("Tweak a");
        var cli = Cli("hook-host");

        var first = await cli.RunAsync("record", "commit", "--repo", _repo.Path);
        var again = await cli.RunAsync("record", "commit", "HEAD", "--repo", _repo.Path);
        var annotated = await cli.RunAsync("record", "commit", sha[..10], "--repo", _repo.Path, "--purpose", "Because the GPU overheated");

        first.ExitCode.ShouldBe(0, first.Err);
        first.Out.ShouldContain(sha[..8]);
        again.Out.ShouldContain("already recorded; nothing added");
        annotated.Out.ShouldContain("added the purpose/notes as an annotation");
        var events = await _db.Store.TimelineAsync(new TimelineQuery { Host = "hook-host", Limit = null });
        events.Count(e => e.Kind == "config-edit").ShouldBe(1);
        var note = (ChangeAnnotated)events.Single(e => e.Kind == "annotation").Data;
        note.Purpose.ShouldBe("Because the GPU overheated");
        note.Sha.ShouldBe(sha);
    }

    [Fact]
    public async Task Record_commit_uses_the_given_purpose_for_a_new_commit()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("wip");
        var cli = Cli("purpose-host");

        (await cli.RunAsync("record", "commit", "--repo", _repo.Path, "--purpose", "Open port 8096 for Jellyfin", "--notes", "See #12")).ExitCode.ShouldBe(0);

        var e = (ConfigEdited)(await _db.Store.TimelineAsync(new TimelineQuery { Host = "purpose-host" })).Single().Data;
        e.Purpose.ShouldBe("Open port 8096 for Jellyfin");
        e.Notes.ShouldBe("See #12");
        e.Message.ShouldBe("wip\n");
    }

    [Fact]
    public async Task A_path_that_is_not_a_repository_exits_2_with_a_clear_message_and_records_nothing()
    {
        using var plain = new TempDirectory("not-a-repo");
        var cli = Cli("bad-path-host");

        var notRepo = await cli.RunAsync("import-git", "--repo", plain.Path);
        var missing = await cli.RunAsync("import-git", "--repo", Path.Combine(plain.Path, "missing"));
        var badRev = await cli.RunAsync("record", "commit", "nope", "--repo", plain.Path);

        notRepo.ExitCode.ShouldBe(2);
        notRepo.Err.ShouldContain($"{plain.Path} is not a git repository");
        notRepo.Err.ShouldContain("--repo");
        missing.ExitCode.ShouldBe(2);
        missing.Err.ShouldContain("does not exist");
        badRev.ExitCode.ShouldBe(2);
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "bad-path-host" })).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_revision_exits_2_and_names_it()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("One");

        var run = await Cli("rev-host").RunAsync("record", "commit", "no-such-branch", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("'no-such-branch' does not name a commit");
    }

    [Fact]
    public async Task An_empty_repository_imports_nothing_and_says_so()
    {
        var run = await Cli("empty-host").RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("0 commits reachable from HEAD; 0 recorded");
    }

    [Fact]
    public async Task Secrets_in_patches_and_messages_are_redacted_before_they_are_stored()
    {
        _repo.Write("secrets.nix", "{\n  services.grafana.settings.security.admin_password = \"hunter2-very-secret\";\n}\n");
        _repo.Commit("Set grafana admin password=hunter2-very-secret");
        var cli = Cli("secret-host");

        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);

        var json = await cli.RunAsync("timeline", "--host", "secret-host", "--json");
        var show = await cli.RunAsync("show", json.Out.Split("\"seq\":")[1].Split(',')[0]);
        json.Out.ShouldNotContain("hunter2-very-secret");
        json.Out.ShouldContain("[REDACTED:");
        show.Out.ShouldNotContain("hunter2-very-secret");
        show.Out.ShouldContain("admin_password = \"[REDACTED:");
    }

    [Fact]
    public async Task Commits_read_while_the_history_is_walked_are_recorded_as_they_are_when_read_in_their_turn()
    {
        // Arrange: a generated history of merges, renames and deletions, with a secret in a
        // commit near the tip, imported once with the walk held long enough for commits to be
        // read ahead, and once without.
        using var dir = new TempDirectory("ledger-ahead");
        var target = Path.Combine(dir.Path, "repo");
        await GeneratedHistory.WriteAsync(target, 60, 11);
        var repo = new GitRepoView(target);
        File.WriteAllText(Path.Combine(target, "secrets.nix"), "{ password = \"hunter2-is-not-a-password\"; }\n");
        repo.Git("add", "secrets.nix");
        Commit("Add a secret near the tip");
        Commit("The tip");
        var firstParents = int.Parse(repo.Git("rev-list", "--first-parent", "--count", "HEAD").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var shas = repo.RevList().Reverse().ToList();
        using var reader = Ledger.Capture.Git.GitHistoryReader.Open(target);

        // Act
        var ahead = await GitImport.RunAsync(_db.Store.Appender, reader, "ahead-host", "alice", null, null, Task.Delay(TimeSpan.FromSeconds(3)), CancellationToken.None);
        var inTurn = await GitImport.RunAsync(_db.Store.Appender, reader, "turn-host", "alice", null, null, null, CancellationToken.None);
        var first = await EventsAsync("ahead-host");
        Commit("After the import");
        Commit("And one more");
        using var later = Ledger.Capture.Git.GitHistoryReader.Open(target);
        var again = await GitImport.RunAsync(_db.Store.Appender, later, "ahead-host", "alice", null, null, Task.Delay(TimeSpan.FromSeconds(3)), CancellationToken.None);

        // Assert: the head start was taken (HEAD and its first parents, none of them recorded),
        // and the events are the same, commit for commit and in the same order, as those read in
        // their turn; the next import reads ahead only what is new.
        ahead.ReadWhileWalking.ShouldBe(Math.Min(firstParents, 128));
        (ahead.Recorded, inTurn.Recorded).ShouldBe((shas.Count, shas.Count));
        first.Select(e => e.Sha).ShouldBe(shas);
        first.Select(e => Json(e with { Host = "turn-host" })).ShouldBe((await EventsAsync("turn-host")).Select(Json));
        first[^2].Files.ShouldHaveSingleItem().Patch.ShouldNotBeNull().ShouldNotContain("hunter2-is-not-a-password");
        (again.ReadWhileWalking, again.Recorded).ShouldBe((2, 2), "only what is not recorded is read ahead: it stops at the first recorded commit");
        (await EventsAsync("ahead-host")).Select(e => e.Sha).ShouldBe(repo.RevList().Reverse());

        static string Json(ConfigEdited e) => JsonSerializer.Serialize(e, EventJson.Options);
        void Commit(string message) => repo.Git("-c", "user.name=Alice", "-c", "user.email=alice@example.org", "commit", "-q", "--allow-empty", "-m", message);
    }

    private async Task<List<ConfigEdited>> EventsAsync(string host) =>
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"], Limit = null }))
            .Select(e => (ConfigEdited)e.Data).Reverse().ToList();

    [Fact]
    public async Task A_long_generated_history_imports_one_event_per_commit_with_gits_counts_and_reimports_nothing()
    {
        // The benchmark's generator: merges, renames, deletions and many multi-file commits.
        using var dir = new TempDirectory("ledger-long");
        var target = Path.Combine(dir.Path, "repo");
        await GeneratedHistory.WriteAsync(target, 400, 7);

        var cli = Cli("long-host");
        var first = await cli.RunAsync("import-git", "--repo", target);
        var second = await cli.RunAsync("import-git", "--repo", target);
        var listed = await cli.RunAsync("timeline", "--host", "long-host", "--kind", "config-edit", "--all", "--json");

        first.Out.ShouldContain("400 recorded, 0 already recorded");
        second.Out.ShouldContain("0 recorded, 400 already recorded");
        var rows = JsonDocument.Parse(listed.Out).RootElement.EnumerateArray().ToList();
        var git = new GitRepoView(target);
        rows.Select(r => r.GetProperty("data").GetProperty("sha").GetString()).ShouldBe(git.RevList());
        foreach (var row in rows)
        {
            var e = JsonSerializer.Deserialize<ConfigEdited>(row.GetProperty("data").GetRawText(), EventJson.Options)!;
            var expected = GitNumstat.Parse(git.Numstat(e.Sha))
                .Select(n => (n.Path, n.OldPath, n.Added ?? 0, n.Deleted ?? 0))
                .OrderBy(x => x.Path, StringComparer.Ordinal);
            e.Files.Select(f => (f.Path, f.OldPath, f.LinesAdded, f.LinesRemoved)).OrderBy(x => x.Path, StringComparer.Ordinal)
                .ShouldBe(expected, $"files of {e.Sha[..8]}");
        }
    }

    [Fact]
    public async Task A_lost_blob_leaves_every_commit_recorded_and_names_the_incomplete_ones_issue_15()
    {
        // Arrange: 120 commits in loose objects; the blob commit 70 wrote is lost. Commit 77
        // changes the same file again, so its diff needs the lost blob too.
        for (int i = 0; i < 120; i++)
        {
            _repo.Write($"hosts/h{i % 7}.nix", $"{{ revision = {i}; }}\n");
            _repo.Commit($"Change {i}");
        }

        var shas = _repo.Git("rev-list", "--reverse", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var blob = _repo.Git("rev-parse", $"{shas[70]}:hosts/h{70 % 7}.nix").Trim();
        File.Delete(Path.Combine(_repo.Path, ".git", "objects", blob[..2], blob[2..]));

        // Act: the readers run in parallel; the damage must neither stop nor hang the import.
        var run = await Cli("damaged-host").RunAsync("import-git", "--repo", _repo.Path);

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        run.Err.ShouldContain("2 commit(s) were recorded without part of their content");
        run.Err.ShouldContain("fsck");
        run.Err.ShouldContain(shas[70][..8]);
        run.Err.ShouldContain(shas[77][..8]);
        var recorded = (await _db.Store.TimelineAsync(new TimelineQuery { Host = "damaged-host", Kinds = ["config-edit"], Limit = null }))
            .Select(e => (ConfigEdited)e.Data).Reverse().ToList();
        recorded.Select(e => e.Sha).ShouldBe(shas, "every commit, in history order");
        recorded.Where(e => e.Incomplete is not null).Select(e => e.Sha).ShouldBe([shas[70], shas[77]]);
        recorded[70].Files.Single().Path.ShouldBe("hosts/h0.nix");
    }

    [Fact]
    public async Task A_lost_commit_object_stops_the_import_with_a_clear_error_and_records_nothing()
    {
        for (int i = 0; i < 10; i++)
        {
            _repo.Write("a.nix", $"{{ revision = {i}; }}\n");
            _repo.Commit($"Change {i}");
        }

        var lost = _repo.Git("rev-parse", "HEAD~5").Trim();
        File.Delete(Path.Combine(_repo.Path, ".git", "objects", lost[..2], lost[2..]));

        var run = await Cli("lost-commit").RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(2, run.Err);
        run.Err.ShouldContain("cannot be walked");
        run.Err.ShouldContain("fsck");
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "lost-commit", Limit = null })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Commits_that_vanished_from_the_branch_are_reported_and_kept()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Commit("Kept");
        _repo.Write("a.nix", "{ x = 1; }\n");
        var dropped = _repo.Commit("Dropped by a reset");
        var cli = Cli("rewrite-host");
        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        _repo.Git("reset", "-q", "--hard", "HEAD~1");
        _repo.Write("a.nix", "{ y = 2; }\n");
        _repo.Commit("Rewritten instead");

        var run = await cli.RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0);
        run.Out.ShouldContain("1 recorded, 1 already recorded");
        run.Err.ShouldContain("1 commit(s) recorded earlier are no longer reachable from HEAD");
        run.Err.ShouldContain(dropped[..8]);
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = "rewrite-host", Limit = null })).Count.ShouldBe(3, "nothing recorded is deleted");
    }

    [Fact]
    public async Task A_huge_commit_keeps_every_file_and_its_counts_but_bounds_the_patch_text()
    {
        // 300 files of 20 KiB: 6 MiB of patch, over the per-commit budget.
        var body = string.Concat(Enumerable.Range(0, 700).Select(i => $"  option{i} = \"{new string('x', 20)}\";\n"));
        for (int i = 0; i < 300; i++)
        {
            _repo.Write($"generated/m{i:000}.nix", "{\n" + body + "}\n");
        }

        _repo.Commit("Vendor generated modules");

        var run = await Cli("huge-host").RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0, run.Err);
        var e = (ConfigEdited)(await _db.Store.TimelineAsync(new TimelineQuery { Host = "huge-host" })).Single().Data;
        e.Files.Count.ShouldBe(300);
        e.Files.ShouldAllBe(f => f.LinesAdded == 702 && f.Ranges.Count == 1);
        e.Files.Sum(f => (long)(f.Patch?.Length ?? 0)).ShouldBeLessThanOrEqualTo(Ledger.Capture.Git.GitHistoryReader.MaxCommitPatchChars + 1024);
        e.Files[^1].Patch.ShouldBeNull();
        e.Files[^1].PatchTruncated.ShouldBeTrue();
    }
}
