using System.Diagnostics;
using System.Text;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Hostile;

/// <summary>
/// Real-shaped repositories that stopped imports of real NixOS histories (issue 15): every commit
/// reachable from HEAD becomes exactly one event, whatever it holds, and a second run adds nothing.
/// </summary>
public sealed class HostileHistorySpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly GitRepo _repo = new();

    public HostileHistorySpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    private CliRun Cli(string host) => new(_db.ConnectionString, _home.Path, host);

    private async Task<List<ConfigEdited>> EditsOf(string host) =>
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"], Limit = null }))
            .Select(e => (ConfigEdited)e.Data).ToList();

    private string[] Shas() => _repo.Git("rev-list", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task ImportsCompletely(string host)
    {
        var cli = Cli(host);
        var first = await cli.RunAsync("import-git", "--repo", _repo.Path);
        first.ExitCode.ShouldBe(0, first.Err);
        (await EditsOf(host)).Select(e => e.Sha).ShouldBe(Shas(), "one event per commit reachable from HEAD, newest first");

        var second = await cli.RunAsync("import-git", "--repo", _repo.Path);
        second.ExitCode.ShouldBe(0, second.Err);
        second.Out.ShouldContain(" 0 recorded");
    }

    [Fact]
    public async Task A_script_with_NUL_bytes_after_gits_binary_probe_is_recorded_as_binary_with_its_hash_issue_15()
    {
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        // git looks for NUL in the first 8,000 bytes only: this diffs as text holding NULs.
        var script = Encoding.ASCII.GetBytes("#!/bin/sh\n" + string.Concat(Enumerable.Repeat("echo padding line for the binary probe\n", 300)))
            .Concat(new byte[] { 0, 1, 2, 0, (byte)'\n' }).Concat(Encoding.ASCII.GetBytes("echo done\n")).ToArray();
        _repo.WriteBytes("scripts/installer.sh", script);
        _repo.Commit("Add installer with an embedded payload");
        _repo.Write("configuration.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Commit("Enable jellyfin");

        await ImportsCompletely("nul-host");

        var withScript = (await EditsOf("nul-host")).Single(e => e.Message.StartsWith("Add installer", StringComparison.Ordinal));
        var file = withScript.Files.Single(f => f.Path == "scripts/installer.sh");
        file.Binary.ShouldBeTrue();
        file.Patch.ShouldBeNull();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(script));
        file.Note.ShouldNotBeNull().ShouldContain($"{script.Length} bytes, sha256 {sha256}");
        withScript.Incomplete.ShouldBeNull();
    }

    [Fact]
    public async Task The_hook_records_a_commit_holding_NUL_bytes_issue_15()
    {
        _repo.WriteBytes("run.sh", Encoding.ASCII.GetBytes(new string('x', 9000) + "\n").Concat(new byte[] { 0, (byte)'\n' }).ToArray());
        var sha = _repo.Commit("Script with NUL");

        var run = await Cli("nul-hook").RunAsync("record", "commit", sha, "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0, run.Err);
        (await EditsOf("nul-hook")).Single().Files.Single().Binary.ShouldBeTrue();
    }

    [Fact]
    public async Task A_symlink_replaced_by_a_renamed_file_is_recorded_with_its_diff_issue_15()
    {
        // The shape that stopped a real history at commit 348 of 8,955 (libgit2sharp #1801).
        _repo.Write("c.nix", string.Join('\n', Enumerable.Range(1, 40).Select(i => $"  option{i} = {i};")) + "\n");
        _repo.Write("d.nix", string.Join('\n', Enumerable.Range(1, 40).Select(i => $"  option{i} = {i};")) + "\n# d\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "a.nix"), "c.nix");
        _repo.Commit("Link a to c");
        File.Delete(Path.Combine(_repo.Path, "a.nix"));
        File.Move(Path.Combine(_repo.Path, "c.nix"), Path.Combine(_repo.Path, "a.nix"));
        File.Delete(Path.Combine(_repo.Path, "d.nix"));
        File.AppendAllText(Path.Combine(_repo.Path, "a.nix"), "  extra = true;\n");
        _repo.Commit("Make a a real file");

        await ImportsCompletely("symlink-host");

        var edit = (await EditsOf("symlink-host")).First();
        edit.Files.Select(f => f.Path).ShouldContain("a.nix");
        edit.Incomplete.ShouldBeNull("the same diff without rename detection is complete");
        var file = edit.Files.Single(f => f.Path == "a.nix");
        file.Patch.ShouldNotBeNull().ShouldContain("+  extra = true;");
        var numstat = GitNumstat.Of(_repo, edit.Sha);
        edit.LinesAdded.ShouldBe(numstat.Sum(n => n.Added ?? 0), "the lines git counts, the new file's content included");
    }

    [Fact]
    public async Task A_missing_blob_keeps_the_commit_with_its_file_list_and_every_neighbour_issue_15()
    {
        // More commits than one reader chunk (50), so a lost chunk would show.
        string? damaged = null;
        for (int i = 1; i <= 60; i++)
        {
            _repo.Write($"hosts/h{i % 7}.nix", $"{{ n = {i}; }}\n");
            if (i == 30)
            {
                _repo.Write("secrets/blob.nix", "{ lost = \"this blob will be deleted\"; }\n");
            }

            var sha = _repo.Commit($"Commit {i}");
            damaged = i == 30 ? sha : damaged;
        }

        var blob = _repo.Git("rev-parse", $"{damaged}:secrets/blob.nix").Trim();
        File.Delete(Path.Combine(_repo.Path, ".git", "objects", blob[..2], blob[2..]));

        var run = await Cli("blob-host").RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0, run.Err);
        run.Err.ShouldContain(damaged![..7]);
        var edits = await EditsOf("blob-host");
        edits.Count.ShouldBe(60);
        var broken = edits.Single(e => e.Sha == damaged);
        broken.Incomplete.ShouldNotBeNull().ShouldContain("diff cannot be computed");
        broken.Files.Select(f => f.Path).ShouldContain("secrets/blob.nix");
        edits.Where(e => e.Sha != damaged).ShouldAllBe(e => e.Incomplete == null);
    }

    [Fact]
    public async Task A_commit_whose_first_parent_is_lost_is_recorded_with_its_metadata_and_why_issue_19()
    {
        // Arrange: three commits; the first one's object deleted, so the second one's first
        // parent is not in the repository (LibGit2Sharp failed on it with a null reference, and
        // the hook stopped with a stack trace).
        _repo.Write("flake.lock", FlakeLockText.Of("aaa", 1_700_000_000, "nixos-24.11"));
        _repo.Write("hosts/media/default.nix", "{ }\n");
        var first = _repo.Commit("First");
        _repo.Write("flake.lock", FlakeLockText.Of("bbb", 1_700_100_000, "nixos-24.11"));
        _repo.Write("hosts/media/default.nix", "{ services.jellyfin.enable = true; }\n");
        var second = _repo.Commit("media: jellyfin, and nixpkgs moves");
        File.Delete(LooseObject(first));

        // Act
        var run = await Cli("orphan-host").RunAsync("record", "commit", second, "--repo", _repo.Path);

        // Assert: recorded, saying what could not be read; its parent is still named.
        run.ExitCode.ShouldBe(0, run.Err);
        var edit = (await EditsOf("orphan-host")).Single();
        edit.Sha.ShouldBe(second);
        edit.Parents.ShouldBe([first]);
        edit.Message.ShouldBe("media: jellyfin, and nixpkgs moves\n");
        edit.Incomplete.ShouldNotBeNull().ShouldContain("trees cannot be read");
        edit.Incomplete.ShouldContain(first);
    }

    private string LooseObject(string id)
    {
        var path = Path.Combine(_repo.Path, ".git", "objects", id[..2], id[2..]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [Fact]
    public async Task A_loose_object_damaged_on_disk_is_still_found_though_objects_are_not_hashed_again_issue_19()
    {
        // Arrange: a byte of the blob's compressed data flipped (zlib's checksum covers it).
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        _repo.Write("hosts/media.nix", string.Concat(Enumerable.Range(0, 200).Select(i => $"{{ option{i} = {i}; }}\n")));
        var damaged = _repo.Commit("Add the media host");
        _repo.Write("configuration.nix", "{ imports = [ ./hosts/media.nix ]; }\n");
        _repo.Commit("Import it");
        var path = LooseObject(_repo.Git("rev-parse", $"{damaged}:hosts/media.nix").Trim());
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(path, bytes);

        // Act
        var run = await Cli("flipped-host").RunAsync("import-git", "--repo", _repo.Path);

        // Assert: recorded, named as incomplete, its neighbours whole.
        run.ExitCode.ShouldBe(0, run.Err);
        run.Err.ShouldContain(damaged[..8]);
        var edits = await EditsOf("flipped-host");
        edits.Count.ShouldBe(3);
        edits.Single(e => e.Sha == damaged).Incomplete.ShouldNotBeNull().ShouldContain("diff cannot be computed");
        edits.Where(e => e.Sha != damaged).ShouldAllBe(e => e.Incomplete == null);
    }

    [Fact]
    public async Task An_object_whose_content_no_longer_matches_its_id_is_read_as_git_reads_it_issue_19()
    {
        // Arrange: the blob's file replaced by a well-formed object holding other text. git reads
        // objects without hashing them again (only fsck does), and so does Ledger since issue 19:
        // SHA-1 over every object read was a seventh of an import's CPU.
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        _repo.Write("hosts/media.nix", "{ services.jellyfin.enable = true; }\n");
        var sha = _repo.Commit("Add the media host");
        var path = LooseObject(_repo.Git("rev-parse", $"{sha}:hosts/media.nix").Trim());
        var other = Encoding.ASCII.GetBytes("{ services.plex.enable = true; }\n");
        using (var file = File.Create(path))
        using (var zlib = new System.IO.Compression.ZLibStream(file, System.IO.Compression.CompressionLevel.Optimal))
        {
            zlib.Write(Encoding.ASCII.GetBytes($"blob {other.Length}\0"));
            zlib.Write(other);
        }

        // Act
        var run = await Cli("rewritten-host").RunAsync("import-git", "--repo", _repo.Path);

        // Assert: the text git shows for the commit, not an error.
        run.ExitCode.ShouldBe(0, run.Err);
        _repo.Git("show", sha, "--", "hosts/media.nix").ShouldContain("+{ services.plex.enable = true; }");
        var edit = (await EditsOf("rewritten-host")).Single(e => e.Sha == sha);
        edit.Incomplete.ShouldBeNull();
        edit.Files.Single().Patch.ShouldNotBeNull().ShouldContain("+{ services.plex.enable = true; }");
    }

    [Fact]
    public void Reading_a_history_bounds_libgit2s_cache_of_each_open_repository_issue_19()
    {
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");

        using var reader = Ledger.Capture.Git.GitHistoryReader.Open(_repo.Path);

        Ledger.Capture.Git.RepositoryAccess.CacheLimit().ShouldBe(Ledger.Capture.Git.RepositoryAccess.CacheBytes, "4 MiB, not libgit2's 256 MiB per handle");
    }

    [RootFact("to give the repository to another user")]
    public async Task A_repository_owned_by_another_user_is_read_issue_15()
    {
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        // The NixOS layout: /etc/nixos belongs to root, read by the ledger user or an admin.
        using (var chown = Process.Start("chown", ["-R", "postgres:", _repo.Path]))
        {
            await chown.WaitForExitAsync();
            chown.ExitCode.ShouldBe(0);
        }

        var run = await Cli("owner-host").RunAsync("import-git", "--repo", _repo.Path);

        run.ExitCode.ShouldBe(0, run.Err);
        (await EditsOf("owner-host")).Count.ShouldBe(1);
    }

    [Fact(Timeout = 120_000)]
    public async Task Long_token_like_lines_do_not_stop_the_import_and_a_password_beside_them_is_redacted_issue_15()
    {
        var random = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(40_000)).Replace('+', '-').Replace('/', '_');
        _repo.Write("token.py", "# token\n" + random + "\n" + string.Concat(Enumerable.Repeat("a.", 5000)) + "\npassword = \"Tr0ub4dor-and-3\"\n");
        _repo.Commit("Add a generated token");

        await ImportsCompletely("token-host");

        var all = string.Join('\n', (await EditsOf("token-host")).SelectMany(e => e.Files).Select(f => f.Patch ?? ""));
        all.ShouldContain("a.a.a.");
        all.ShouldNotContain("Tr0ub4dor-and-3");
    }

    [Fact]
    public async Task A_Latin1_commit_message_keeps_its_characters_issue_15()
    {
        _repo.Write("a.nix", "{ }\n");
        _repo.Git("-c", "i18n.commitEncoding=ISO-8859-1", "add", "-A");
        var declared = Path.Combine(_repo.Path, "..", $"msg-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(declared, Encoding.Latin1.GetBytes("Grüße aus Köln: café\n"));
        _repo.Git("-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", declared);
        // No encoding header and not UTF-8 either, as old Latin-1 histories hold (git commit would
        // convert such a message, so the object is written directly).
        var parent = _repo.Head();
        var tree = _repo.Git("rev-parse", "HEAD^{tree}").Trim();
        var header = $"tree {tree}\nparent {parent}\nauthor Test Admin <admin@example.org> 1767261600 +0000\ncommitter Test Admin <admin@example.org> 1767261600 +0000\n\n";
        File.WriteAllBytes(declared, [.. Encoding.ASCII.GetBytes(header), .. Encoding.Latin1.GetBytes("Ändere die Größe\n")]);
        var sha = _repo.Git("hash-object", "-w", "-t", "commit", declared).Trim();
        _repo.Git("update-ref", "refs/heads/main", sha);
        File.Delete(declared);

        await ImportsCompletely("latin1-host");

        var edits = await EditsOf("latin1-host");
        edits[1].Message.ShouldBe("Grüße aus Köln: café\n");
        edits[1].MessageEncoding.ShouldBe("ISO-8859-1");
        edits[0].Message.ShouldBe("Ändere die Größe\n");
        edits[0].MessageEncoding.ShouldNotBeNull().ShouldStartWith("ISO-8859-1");
    }

    [Fact]
    public async Task A_Latin1_file_names_its_blob_for_the_bytes_the_patch_cannot_show_issue_15()
    {
        _repo.WriteBytes("motd.txt", Encoding.Latin1.GetBytes("Willkommen auf dem Medienserver für Köln\n"));
        var sha = _repo.Commit("Add a Latin-1 motd");

        await ImportsCompletely("latin1-file");

        var file = (await EditsOf("latin1-file")).Single().Files.Single();
        var blob = _repo.Git("rev-parse", $"{sha}:motd.txt").Trim();
        file.Note.ShouldNotBeNull().ShouldContain($"git blob {blob}");
        file.Patch.ShouldNotBeNull().ShouldContain("Medienserver f");
    }

    [Fact]
    public async Task Notes_starting_with_an_at_sign_are_text_not_a_response_file_issue_15()
    {
        _repo.Write("a.nix", "{ }\n");
        var sha = _repo.Commit("Initial");

        var run = await Cli("at-host").RunAsync("record", "commit", sha, "--repo", _repo.Path, "--notes", "@@ -3,3 +3,3 @@ reviewed by @alice");

        run.ExitCode.ShouldBe(0, run.Err);
        (await EditsOf("at-host")).Single().Notes.ShouldBe("@@ -3,3 +3,3 @@ reviewed by @alice");
    }

    [Fact]
    public async Task Submodules_symlinks_and_empty_files_are_recorded_as_git_lists_them_issue_15()
    {
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial");
        // A submodule as real repositories hold it: a gitlink whose commit is not in this repository.
        _repo.Git("update-index", "--add", "--cacheinfo", "160000,0123456789abcdef0123456789abcdef01234567,vendor/nixpkgs");
        _repo.Write(".gitmodules", "[submodule \"vendor/nixpkgs\"]\n\tpath = vendor/nixpkgs\n\turl = https://github.com/NixOS/nixpkgs\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "current"), "hosts/does-not-exist");
        _repo.Write("empty.nix", "");
        _repo.Git("add", ".gitmodules", "current", "empty.nix");
        _repo.Git("commit", "-q", "-m", "Add nixpkgs as a submodule, a dangling link and an empty file");
        _repo.Git("update-index", "--cacheinfo", "160000,89abcdef0123456789abcdef0123456789abcdef,vendor/nixpkgs");
        _repo.Git("commit", "-q", "-m", "Bump the submodule");

        await ImportsCompletely("submodule-host");

        var edits = await EditsOf("submodule-host");
        edits.ShouldAllBe(e => e.Incomplete == null);
        edits[1].Files.Select(f => f.Path).Order(StringComparer.Ordinal).ShouldBe([".gitmodules", "current", "empty.nix", "vendor/nixpkgs"]);
        edits[0].Files.ShouldHaveSingleItem().Patch.ShouldNotBeNull().ShouldContain("+Subproject commit 89abcdef0123456789abcdef0123456789abcdef");
    }
}
