using System.Text;
using System.Text.Json;
using Ledger.Capture.Git;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

/// <summary>
/// Patches are read straight from libgit2 (one buffer per file) rather than through LibGit2Sharp's
/// callback per line. Both ways must give the same event for every kind of change git knows.
/// </summary>
public sealed class DirectDiffSpecs : IDisposable
{
    private readonly GitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    /// <summary>
    /// Reads each commit straight from libgit2 and through LibGit2Sharp, asserts the same event
    /// both ways, and returns the direct reader's events and how often it took the direct ways.
    /// </summary>
    private (List<Ledger.Core.Events.ConfigEdited> Events, int DirectReads, int DirectBlobReads) ReadBothWays(IEnumerable<string> shas, long? largeFileBytes = null)
    {
        using var direct = GitHistoryReader.Open(_repo.Path);
        using var throughLibGit2Sharp = GitHistoryReader.Open(_repo.Path);
        throughLibGit2Sharp.DirectDiff = false;
        if (largeFileBytes is { } limit)
        {
            direct.LargeFileBytes = throughLibGit2Sharp.LargeFileBytes = limit;
        }

        var events = new List<Ledger.Core.Events.ConfigEdited>();
        foreach (var sha in shas)
        {
            var a = direct.Read(sha, "host", "actor");
            var b = throughLibGit2Sharp.Read(sha, "host", "actor");
            JsonSerializer.Serialize(a).ShouldBe(JsonSerializer.Serialize(b), $"commit {sha}");
            events.Add(a);
        }

        (throughLibGit2Sharp.DirectReads, throughLibGit2Sharp.DirectBlobReads, throughLibGit2Sharp.DirectCommitReads).ShouldBe((0, 0, 0));
        _directCommitReads = direct.DirectCommitReads;
        return (events, direct.DirectReads, direct.DirectBlobReads);
    }

    /// <summary>How many commits the last <see cref="ReadBothWays"/> read straight from libgit2 (the rest it read through LibGit2Sharp too).</summary>
    private int _directCommitReads;

    /// <summary>Writes a commit object exactly as given (git would refuse or tidy some of these) and returns its sha.</summary>
    private string RawCommit(byte[] content)
    {
        var file = Path.Combine(_repo.Path, ".git", "raw-commit");
        File.WriteAllBytes(file, content);
        return _repo.Git("hash-object", "-t", "commit", "-w", "--literally", file).Trim();
    }

    [Fact]
    public void Commit_facts_read_the_same_straight_from_libgit2_as_through_LibGit2Sharp()
    {
        // Arrange: commits git itself writes (a root, a merge), and commits written by hand: an
        // author name that is not UTF-8, time zones east and west, a message after blank lines,
        // and a message in a declared encoding.
        _repo.Write("flake.lock", Lock("aaa", 1_700_000_000));
        _repo.Write("hosts/media/default.nix", "{ }\n");
        var root = _repo.Commit("Root");
        var main = _repo.Git("rev-parse", "--abbrev-ref", "HEAD").Trim();
        _repo.Git("checkout", "-q", "-b", "topic");
        _repo.Write("topic.nix", "{ }\n");
        var topic = _repo.Commit("Topic");
        _repo.Git("checkout", "-q", main);
        _repo.Write("flake.lock", Lock("bbb", 1_700_100_000));
        var onMain = _repo.Commit("nixpkgs moves");
        _repo.Git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic");
        var merge = _repo.Head();
        var tree = _repo.Git("rev-parse", "HEAD^{tree}").Trim();
        byte[] Raw(string headers, byte[] message) => [.. Encoding.UTF8.GetBytes(headers + "\n"), .. message];
        var latinAuthor = RawCommit(Raw(
            $"tree {tree}\nparent {merge}\nauthor Ren" + "\u0001" + $" <rene@example.org> 1700000000 +0530\ncommitter Bob <bob@example.org> 1700003600 -0800\n",
            Encoding.UTF8.GetBytes("\n\nAfter two blank lines\n\nand a body\n")).Select(b => b == 1 ? (byte)0xE9 : b).ToArray());
        var declared = RawCommit(Raw(
            $"tree {tree}\nparent {latinAuthor}\nauthor Ann <ann@example.org> 1700007200 +0000\ncommitter Ann <ann@example.org> 1700007200 +1400\nencoding ISO-8859-1\n",
            Encoding.Latin1.GetBytes("Caf\u00e9 au lait\n")));
        var shas = new[] { root, topic, onMain, merge, latinAuthor, declared };

        // Act
        var (events, _, _) = ReadBothWays(shas);

        // Assert: both ways agreed (ReadBothWays); the plain ones were read straight from libgit2
        // (all but the declared encoding); and what they agreed on is what
        // the objects say.
        _directCommitReads.ShouldBe(5);
        events[0].Parents.ShouldBeEmpty();
        events[3].Parents.ShouldBe([onMain, topic]);
        events[0].Hosts.ShouldBe(["media"]);
        events[2].FlakeInputs!.Single().NewRev.ShouldBe("bbb");
        events[4].Author.ShouldBe("Ren\uFFFD");
        events[4].AuthorEmail.ShouldBe("rene@example.org");
        events[4].CommittedAt.ShouldBe(new DateTimeOffset(2023, 11, 14, 15, 13, 20, TimeSpan.FromHours(-8)));
        events[4].CommittedAt.Offset.ShouldBe(TimeSpan.FromHours(-8));
        events[4].Message.ShouldBe("After two blank lines\n\nand a body\n");
        events[4].Purpose.ShouldBe("After two blank lines");
        events[5].Message.ShouldBe("Caf\u00e9 au lait\n");
        events[5].CommittedAt.Offset.ShouldBe(TimeSpan.FromHours(14));
    }

    private static string Lock(string rev, long lastModified, string reference = "nixos-24.11") => FlakeLockText.Of(rev, lastModified, reference);

    [Fact]
    public void The_history_is_walked_in_the_same_order_straight_from_libgit2_as_through_LibGit2Sharp()
    {
        // Arrange: branches merged both ways, commits with the same time on both sides of a
        // merge, and a commit older than its parent (a clock set back), where the order is
        // decided by topology rather than time.
        var at = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        _repo.Write("a.nix", "{ a = 0; }\n");
        _repo.Commit("Root", at: at);
        var main = _repo.Git("rev-parse", "--abbrev-ref", "HEAD").Trim();
        for (int round = 0; round < 4; round++)
        {
            _repo.Git("checkout", "-q", "-b", $"topic{round}");
            _repo.Write($"topic{round}.nix", "{ }\n");
            _repo.Commit($"Topic {round}", at: at.AddMinutes(round));
            _repo.Write($"topic{round}.nix", "{ b = 1; }\n");
            _repo.Commit($"Topic {round}, older than its parent", at: at.AddMinutes(round - 30));
            _repo.Git("checkout", "-q", main);
            _repo.Write("a.nix", $"{{ a = {round + 1}; }}\n");
            _repo.Commit($"Main {round}", at: at.AddMinutes(round));
            _repo.Git("merge", "-q", "--no-ff", "-m", $"Merge topic {round}", $"topic{round}");
        }

        using var direct = GitHistoryReader.Open(_repo.Path);
        using var throughLibGit2Sharp = GitHistoryReader.Open(_repo.Path);
        throughLibGit2Sharp.DirectDiff = false;

        // Act
        var walked = direct.CommitsFromHead();

        // Assert
        walked.Count.ShouldBe(1 + (4 * 4));
        walked.ShouldBe(throughLibGit2Sharp.CommitsFromHead());
        walked[0].ShouldBe(_repo.Git("rev-list", "--max-parents=0", "HEAD").Trim());
        walked[^1].ShouldBe(_repo.Git("rev-parse", "HEAD").Trim());
    }

    [Fact]
    public async Task A_walk_started_ahead_ends_before_its_reader_is_disposed_and_is_shared_by_the_next_call()
    {
        // Arrange: a history long enough that the walk is still running when the reader is
        // disposed (an import that ends early: an error, a hand-over to ledger).
        using var dir = new TempDirectory("ledger-walk");
        await GeneratedHistory.WriteAsync(dir.Path, 3000, 5);
        var expected = Git(dir.Path, "rev-list", "--topo-order", "--reverse", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reader = GitHistoryReader.Open(dir.Path);
        var kept = GitHistoryReader.Open(dir.Path);

        // Act
        var walk = reader.CommitsFromHeadAsync();
        reader.Dispose();
        var again = kept.CommitsFromHeadAsync();
        var same = ReferenceEquals(again, kept.CommitsFromHeadAsync());
        kept.Dispose();

        // Assert: the walk ran to its end on a handle that was still open.
        walk.IsCompleted.ShouldBeTrue();
        (await walk).Count.ShouldBe(expected.Length);
        expected.Length.ShouldBeGreaterThanOrEqualTo(3000);
        (await walk).ToHashSet().SetEquals(expected).ShouldBeTrue();
        (await again).ShouldBe(await walk);
        same.ShouldBeTrue();
    }

    private static string Git(string repo, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git", ["-C", repo, .. args]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    [Fact]
    public void Host_folders_and_lock_files_read_the_same_straight_from_libgit2_as_through_LibGit2Sharp()
    {
        // Arrange: host folders at the top and one level down, hosts added and moved, and lock
        // files of every kind: plain, with a byte-order mark, with invalid UTF-8 in a value, in a
        // merge conflict, not JSON, and gone.
        var shas = new List<string>();
        _repo.Write("flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations = { media = x; edge = y; new = z; }; }; }\n");
        _repo.Write("hosts/media/default.nix", "{ }\n");
        _repo.Write("nix/machines/edge/default.nix", "{ }\n");
        _repo.Write("modules/common.nix", "{ }\n");
        _repo.Write("flake.lock", Lock("aaa", 1_700_000_000));
        shas.Add(_repo.Commit("Two hosts, one of them one level down"));

        _repo.Write("hosts/media/default.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Write("flake.lock", Lock("bbb", 1_700_100_000));
        shas.Add(_repo.Commit("media: jellyfin, and nixpkgs moves"));

        _repo.Write("nix/machines/edge/extra.nix", "{ }\n");
        _repo.Write("hosts/new/default.nix", "{ }\n");
        shas.Add(_repo.Commit("A file for edge and a new host"));

        _repo.WriteBytes("flake.lock", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Lock("ccc", 1_700_200_000))]);
        shas.Add(_repo.Commit("A lock with a byte-order mark"));

        _repo.WriteBytes("flake.lock", Encoding.UTF8.GetBytes(Lock("ddd", 1_700_300_000, "nixos-\u0001")).Select(b => b == 1 ? (byte)0xFF : b).ToArray());
        shas.Add(_repo.Commit("A lock with a byte that is not UTF-8"));

        _repo.Write("flake.lock", "<<<<<<< HEAD\n" + Lock("eee", 1_700_400_000) + "\n=======\n" + Lock("fff", 1_700_500_000) + "\n>>>>>>> branch\n");
        shas.Add(_repo.Commit("A lock in a merge conflict"));

        _repo.Write("flake.lock", "{ \"nodes\": ");
        shas.Add(_repo.Commit("A lock that is not JSON"));

        _repo.Write("flake.lock", Lock("ggg", 1_700_600_000));
        _repo.Git("mv", "nix/machines", "nix/systems");
        shas.Add(_repo.Commit("A good lock again, and the nested hosts move"));

        _repo.Delete("flake.lock");
        shas.Add(_repo.Commit("No lock"));

        // Act
        var (events, _, _) = ReadBothWays(shas);

        // Assert: both ways agreed (ReadBothWays); and what they agreed on is what the history says.
        events[0].Hosts.ShouldBe(["edge", "media"]);
        events[1].Hosts.ShouldBe(["media"]);
        events[1].FlakeInputs!.Single().ShouldBe(new Ledger.Core.Nix.FlakeInputChange("nixpkgs", "updated", "aaa", "bbb", "2023-11-14T22:13:20Z", "2023-11-16T02:00:00Z", "nixos-24.11", "nixos-24.11"));
        events[2].Hosts.ShouldBe(["edge", "new"]);
        events[3].FlakeInputs!.Single().NewRev.ShouldBe("ccc");
        events[4].FlakeInputs!.Single().NewRef.ShouldBe("nixos-\uFFFD");
        events[5].FlakeLockProblem!.ShouldContain("merge-conflict");
        events[6].FlakeLockProblem!.ShouldContain("not valid JSON");
        events[7].FlakeLockProblem!.ShouldContain("what moved cannot be said");
        events[7].Hosts.ShouldBe(["edge"]);
        events[8].FlakeInputs!.Single().Change.ShouldBe("removed");
    }

    [Fact]
    public void Every_kind_of_change_reads_the_same_straight_from_libgit2_as_through_LibGit2Sharp()
    {
        // Arrange: adds, edits, renames with and without edits, deletions, mode and type changes,
        // binary and almost-binary files, other encodings, line endings, a submodule and a merge.
        var shas = new List<string>();
        _repo.Write("configuration.nix", string.Join('\n', Enumerable.Range(0, 60).Select(i => $"  option{i} = {i};")) + "\n");
        _repo.Write("hosts/media/default.nix", "{ config, ... }:\n{\n  services.jellyfin.enable = true;\n}\n");
        _repo.Write("no-newline.txt", "first\nlast without newline");
        _repo.Write("crlf.conf", "a = 1\r\nb = 2\r\n");
        _repo.WriteBytes("latin1.txt", Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me\n"));
        _repo.WriteBytes("early-nul.bin", [1, 2, 0, 3, 10]);
        _repo.WriteBytes("late-nul.sh", [.. Encoding.ASCII.GetBytes(new string('x', 9000) + "\n"), 0, 10]);
        _repo.Write("caf\u00e9 with space.nix", "{ a = 1; }\n");
        _repo.Write("empty.txt", "");
        _repo.Write("secrets.nix", "{ password = \"hunter2-very-secret\"; }\n");
        shas.Add(_repo.Commit("Initial"));

        _repo.Write("configuration.nix", string.Join('\n', Enumerable.Range(0, 60).Select(i => i % 17 == 0 ? $"  option{i} = \"changed\";" : $"  option{i} = {i};")) + "\n");
        _repo.Write("no-newline.txt", "first\nlast, still without newline");
        _repo.Write("crlf.conf", "a = 1\r\nb = 3\r\n");
        _repo.WriteBytes("latin1.txt", Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e\n"));
        _repo.WriteBytes("early-nul.bin", [1, 2, 0, 4, 10]);
        _repo.Write("secrets.nix", "{ password = \"another-very-secret\"; }\n");
        _repo.Git("update-index", "--chmod=+x", "crlf.conf");
        shas.Add(_repo.Commit("Edit everything"));

        Directory.CreateDirectory(Path.Combine(_repo.Path, "moved"));
        _repo.Git("mv", "hosts/media/default.nix", "moved/media.nix");
        _repo.Git("mv", "configuration.nix", "moved/configuration.nix");
        _repo.Write("moved/configuration.nix", File.ReadAllText(Path.Combine(_repo.Path, "moved/configuration.nix")) + "  extra = true;\n");
        _repo.Delete("late-nul.sh");
        _repo.Delete("empty.txt");
        shas.Add(_repo.Commit("Move, edit and delete"));

        File.CreateSymbolicLink(Path.Combine(_repo.Path, "link.nix"), "moved/media.nix");
        Directory.CreateDirectory(Path.Combine(_repo.Path, "vendor/module")); // a submodule not checked out
        _repo.Git("update-index", "--add", "--cacheinfo", $"160000,{shas[0]},vendor/module");
        shas.Add(_repo.Commit("Add a symlink and a submodule"));

        _repo.Delete("link.nix");
        _repo.Write("link.nix", "{ now = \"a file\"; }\n");
        _repo.Git("update-index", "--cacheinfo", $"160000,{shas[1]},vendor/module");
        shas.Add(_repo.Commit("A symlink becomes a file, the submodule moves"));

        _repo.Git("checkout", "-q", "-b", "side", shas[^2]);
        _repo.Write("side.nix", "{ side = true; }\n");
        _repo.Commit("On a branch");
        _repo.Git("checkout", "-q", "-");
        _repo.Git("merge", "-q", "--no-ff", "-m", "Merge side", "side");
        shas.Add(_repo.Head());

        // Act
        var (events, directReads, _) = ReadBothWays(shas);

        // Assert
        events.ShouldAllBe(e => e.Files.Count > 0);
        directReads.ShouldBe(shas.Count);
    }

    [Fact]
    public void Files_beside_a_large_one_read_the_same_straight_from_libgit2_as_through_LibGit2Sharp()
    {
        // Arrange: a large file (above a lowered limit) added, changed and removed next to small
        // files that are edited, renamed and deleted, paths with spaces and accents among them.
        var big = string.Concat(Enumerable.Range(0, 200).Select(i => $"  \"dependency-{i}\": \"1.{i}.0\",\n"));
        _repo.Write("pkgs/app/default.nix", "{ buildNpmPackage }:\nbuildNpmPackage { pname = \"app\"; }\n");
        _repo.Write("caf\u00e9 notes.txt", string.Join('\n', Enumerable.Range(0, 30).Select(i => $"note {i}")) + "\n");
        _repo.Write("old.nix", "{ gone = true; }\n");
        _repo.Commit("Initial");
        _repo.Write("pkgs/app/package-lock.json", big);
        _repo.Write("pkgs/app/default.nix", "{ buildNpmPackage }:\nbuildNpmPackage { pname = \"app\"; npmDepsHash = \"sha256-x\"; }\n");
        var added = _repo.Commit("Lock the dependencies");
        _repo.Write("pkgs/app/package-lock.json", big.Replace("1.7.0", "1.7.1", StringComparison.Ordinal));
        _repo.Git("mv", "caf\u00e9 notes.txt", "notes.txt");
        _repo.Delete("old.nix");
        var changed = _repo.Commit("Bump one, move and delete");
        _repo.Delete("pkgs/app/package-lock.json");
        _repo.Delete("pkgs/app/default.nix");
        var removed = _repo.Commit("Remove the package");

        // Act
        var (events, directReads, _) = ReadBothWays([added, changed, removed], largeFileBytes: 1000);

        // Assert
        events.ShouldAllBe(e => e.Files.Count > 1 && e.Files.Any(f => f.Path == "pkgs/app/package-lock.json"));

        // Each commit's small files were diffed straight from libgit2 (its large file is read apart).
        directReads.ShouldBe(3);
    }

    [Fact]
    public void Type_changes_read_their_content_the_same_straight_from_libgit2_as_through_LibGit2Sharp()
    {
        // Arrange: files that become symlinks and back, with and without a last line break, long
        // enough for two hunks, not UTF-8, and binary.
        var lines = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"  option{i} = {i};"));
        _repo.Write("long.nix", lines + "\n");
        _repo.Write("short.nix", "{ no newline at the end; }");
        _repo.WriteBytes("latin1.conf", Encoding.Latin1.GetBytes("caf\u00e9\n"));
        _repo.WriteBytes("logo.bin", [1, 2, 0, 3, 10]);
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "link.nix"), "long.nix");
        var shas = new List<string> { _repo.Commit("Initial") };
        foreach (var file in new[] { "long.nix", "short.nix", "latin1.conf", "logo.bin" })
        {
            _repo.Delete(file);
            File.CreateSymbolicLink(Path.Combine(_repo.Path, file), "target/" + file);
            shas.Add(_repo.Commit($"{file} becomes a symlink"));
        }

        _repo.Delete("link.nix");
        _repo.Write("link.nix", lines.Replace("option3 ", "changed3 ", StringComparison.Ordinal));
        shas.Add(_repo.Commit("A symlink becomes a file"));

        // Act
        var (events, _, directBlobReads) = ReadBothWays(shas);

        // Assert
        directBlobReads.ShouldBe(5);
        var files = events.Skip(1).Select(e => e.Files.Single()).ToList();
        files.ShouldAllBe(f => f.Kind == Ledger.Core.Events.FileChangeKind.TypeChanged);
        files[0].Patch!.ShouldContain("-  option39 = 39;");
        files[1].Patch!.ShouldContain("\\ No newline at end of file");
        files[4].Patch!.ShouldContain("+  changed3 = 3;");
    }

    [Fact]
    public void Only_changed_folders_are_opened_and_every_changed_file_is_found()
    {
        // Arrange: the shape of a real history that lost files (sops/secrets/x-password/ added
        // beside an edited x-password-hash/, which git sorts first), deep edits, files that become
        // folders and back, names that sort around a folder's, a name with accents and spaces, and
        // folders that stay as they are.
        _repo.Write("sops/secrets/root-password-hash/users/joerg", "hash 1\n");
        _repo.Write("sops/secrets/root-password-hash/machines/tm", "hash 1\n");
        _repo.Write("sops/secrets/other/secret", "stays\n");
        _repo.Write("deep/a/b/c/d.nix", "{ depth = 4; }\n");
        _repo.Write("deep/a/b/untouched.nix", "{ }\n");
        _repo.Write("swap", "a file first\n");
        _repo.Write("swapdir/inner.nix", "{ inner = 1; }\n");
        _repo.Write("foo.nix", "{ foo = 1; }\n");
        _repo.Write("foo-bar/x.nix", "{ x = 1; }\n");
        _repo.Write("unchanged/many/files.nix", "{ }\n");
        var first = _repo.Commit("Initial");

        _repo.Write("sops/secrets/root-password/secret", "{ data = \"ENC\"; }\n");
        _repo.Write("sops/secrets/root-password/users/joerg", "key\n");
        _repo.Write("sops/secrets/root-password-hash/users/joerg", "hash 2\n");
        _repo.Write("sops/secrets/root-password-hash/machines/tm", "hash 2\n");
        _repo.Write("deep/a/b/c/d.nix", "{ depth = 5; }\n");
        _repo.Delete("swap");
        _repo.Write("swap/now-a-folder.nix", "{ }\n");
        _repo.Delete("swapdir/inner.nix");
        Directory.Delete(Path.Combine(_repo.Path, "swapdir"));
        _repo.Write("swapdir", "now a file\n");
        _repo.Write("foo/y.nix", "{ y = 1; }\n");
        _repo.WriteBytes("foo-bar/caf\u00e9 \u00e0 la carte", [1, 10]);
        var second = _repo.Commit("Add, edit and swap in folders named alike");

        _repo.Git("rm", "-q", "-r", "sops/secrets/root-password");
        _repo.Write("foo.nix", "{ foo = 2; }\n");
        var third = _repo.Commit("Remove a folder, edit beside it");

        // Act
        var (events, directReads, _) = ReadBothWays([first, second, third]);

        // Assert: the files of each commit, as git lists them.
        string[] Listed(string sha) => _repo.Git("-c", "core.quotepath=off", "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < 3; i++)
        {
            events[i].Files.Select(f => f.Path).Order(StringComparer.Ordinal).ShouldBe(Listed(events[i].Sha).Order(StringComparer.Ordinal), $"commit {i}");
        }

        events[1].Files.Select(f => f.Path).ShouldContain("sops/secrets/root-password/secret");
        events[2].Files.Select(f => f.Path).ShouldContain("sops/secrets/root-password/users/joerg");
        directReads.ShouldBe(3);
    }
}
