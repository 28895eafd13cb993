using System.Text;
using System.Text.Json;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

/// <summary>
/// Files above <see cref="GitHistoryReader.DefaultLargeFileBytes"/> are read without libgit2's
/// whole-patch strings. Lowering the limit to nothing reads every file that way: an added or
/// deleted file must come out exactly as libgit2's patch gives it.
/// </summary>
public sealed class LargeFileSpecs : IDisposable
{
    private readonly GitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private static string Json(ConfigEdited e) => JsonSerializer.Serialize(e.Files);

    private (ConfigEdited Usual, ConfigEdited Streamed) ReadBothWays(string sha)
    {
        using var usual = GitHistoryReader.Open(_repo.Path);
        using var streamed = GitHistoryReader.Open(_repo.Path);
        streamed.LargeFileBytes = 0;
        return (usual.Read(sha, "host", "actor"), streamed.Read(sha, "host", "actor"));
    }

    [Fact]
    public void Added_and_deleted_files_read_as_large_ones_equal_libgit2s_patches()
    {
        // Arrange
        _repo.Write("keep.nix", "{ }\n");
        _repo.Commit("Initial");
        _repo.Write("hosts/media/default.nix", "{ config, ... }:\n{\n  services.jellyfin.enable = true;\n  services.grafana.settings.security.admin_password = \"hunter2-secret\";\n}\n");
        _repo.Write("one-line.txt", "just one line\n");
        _repo.Write("no-newline.txt", "first\nlast without newline");
        _repo.Write("crlf.conf", "a = 1\r\nb = 2\r\n");
        _repo.WriteBytes("latin1.txt", Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me\n"));
        _repo.WriteBytes("early-nul.bin", [1, 2, 0, 3, 10]);
        _repo.WriteBytes("late-nul.sh", [.. Encoding.ASCII.GetBytes(new string('x', 9000) + "\n"), 0, 10]);
        _repo.Write("with space.nix", "{ a = 1; }\n");
        var added = _repo.Commit("Add files");
        _repo.Delete("hosts/media/default.nix");
        _repo.Delete("no-newline.txt");
        _repo.Delete("late-nul.sh");
        var deleted = _repo.Commit("Remove files");
        Directory.CreateDirectory(Path.Combine(_repo.Path, "moved"));
        _repo.Git("mv", "one-line.txt", "moved/one-line.txt");
        _repo.Git("mv", "early-nul.bin", "moved/early-nul.bin");
        _repo.Git("mv", "crlf.conf", "moved/crlf.conf");
        _repo.Git("update-index", "--chmod=+x", "moved/crlf.conf");
        var moved = _repo.Commit("Move files");

        foreach (var sha in new[] { added, deleted, moved })
        {
            // Act
            var (usual, streamed) = ReadBothWays(sha);

            // Assert
            Json(streamed).ShouldBe(Json(usual));
            (streamed.LinesAdded, streamed.LinesRemoved).ShouldBe((usual.LinesAdded, usual.LinesRemoved));
        }
    }

    [Fact]
    public void A_modified_large_file_is_counted_as_libgit2_counts_it()
    {
        // Arrange: lines changed, inserted, removed and moved, and the last line break dropped.
        var lines = Enumerable.Range(0, 3000).Select(i => $"line {i % 700}").ToList();
        _repo.Write("big.txt", string.Join('\n', lines) + "\n");
        _repo.Commit("Initial");
        lines[10] = "changed";
        lines.Insert(500, "inserted a");
        lines.Insert(500, "inserted b");
        lines.RemoveRange(1200, 40);
        lines.Insert(2500, lines[5]);
        lines[2900] = "line 3";
        _repo.Write("big.txt", string.Join('\n', lines));
        var sha = _repo.Commit("Edit");

        // Act: counted by libgit2 (both sides small enough for it to hold), and from line hashes.
        var (usual, _) = ReadBothWays(sha);
        using var large = GitHistoryReader.Open(_repo.Path);
        large.LargeFileBytes = 1000;
        var counted = large.Read(sha, "host", "actor").Files.Single();
        using var hashed = GitHistoryReader.Open(_repo.Path);
        hashed.LargeFileBytes = 1000;
        hashed.CountedByLibgit2Bytes = 0;
        var fromHashes = hashed.Read(sha, "host", "actor").Files.Single();

        // Assert
        usual.Files.Single().Patch.ShouldNotBeNull();
        (counted.LinesAdded, counted.LinesRemoved).ShouldBe((usual.Files.Single().LinesAdded, usual.Files.Single().LinesRemoved));
        (fromHashes.LinesAdded, fromHashes.LinesRemoved).ShouldBe((usual.Files.Single().LinesAdded, usual.Files.Single().LinesRemoved));
        counted.Patch.ShouldBeNull();
        fromHashes.Patch.ShouldBeNull();
        fromHashes.Note.ShouldBe(counted.Note);
    }

    [Theory]
    [InlineData("*.dat -diff")]
    [InlineData("*.dat binary")]
    [InlineData("*.dat diff=opaque")] // a driver configured as binary (below)
    public void A_large_text_file_its_attributes_mark_binary_is_recorded_as_binary_as_git_log_shows_it(string attributes)
    {
        // Arrange: text without a NUL, which only its attributes make binary
        _repo.Git("config", "diff.opaque.binary", "true");
        _repo.Write(".gitattributes", attributes + "\n");
        var lines = Enumerable.Range(0, 400).Select(i => $"row {i} of the table").ToList();
        _repo.Write("table.dat", string.Join('\n', lines) + "\n");
        var added = _repo.Commit("Add the table");
        lines[100] = "a changed row";
        lines.RemoveAt(300);
        _repo.Write("table.dat", string.Join('\n', lines) + "\n");
        var modified = _repo.Commit("Edit the table");
        _repo.Delete("table.dat");
        var deleted = _repo.Commit("Remove the table");

        foreach (var sha in new[] { added, modified, deleted })
        {
            // Act: as usual; read as a large file, counted by libgit2; and counted from line hashes
            using var usual = GitHistoryReader.Open(_repo.Path);
            using var large = GitHistoryReader.Open(_repo.Path);
            large.LargeFileBytes = 1000;
            using var hashed = GitHistoryReader.Open(_repo.Path);
            hashed.LargeFileBytes = 1000;
            hashed.CountedByLibgit2Bytes = 0;
            var files = new[] { usual, large, hashed }.Select(r => r.Read(sha, "host", "actor").Files.Single(f => f.Path == "table.dat")).ToList();

            // Assert
            _repo.Git("show", "--numstat", "--format=", sha).ShouldContain("-\t-\ttable.dat", customMessage: "git must call it binary");
            foreach (var file in files)
            {
                (file.Binary, file.LinesAdded, file.LinesRemoved, file.Patch).ShouldBe((true, 0, 0, (string?)null), $"commit {sha}");
            }
        }
    }

    [Fact]
    public void A_heavily_rewritten_large_file_is_counted_as_git_log_numstat_counts_it()
    {
        // Arrange: a diagram's XML of 5,000 cells (20,000 lines, many alike), then blocks of cells
        // moved and cells redrawn: so many changes that git's diff gives up its minimal search and
        // counts more lines than a minimal diff would (git diff --minimal).
        var random = new Random(4930);
        var cells = Enumerable.Range(0, 5000).Select(i => (Id: i, Value: random.Next(30), X: random.Next(50) * 10, Y: random.Next(50) * 10)).ToList();
        _repo.Write("diagram.drawio", Diagram(cells));
        _repo.Commit("Initial");
        for (int round = 0; round < 10; round++)
        {
            var from = random.Next(cells.Count);
            var block = cells.Skip(from).Take(random.Next(5, 60)).ToList();
            cells.RemoveRange(from, block.Count);
            cells.InsertRange(random.Next(cells.Count), block);
        }

        cells = cells.Select(c => random.Next(100) < 3 ? c with { X = random.Next(50) * 10 } : c).ToList();
        _repo.Write("diagram.drawio", Diagram(cells));
        var sha = _repo.Commit("Redraw");
        static (int, int) Counts(string numstat) => (int.Parse(numstat.Split('\t')[0]), int.Parse(numstat.Split('\t')[1]));
        var git = Counts(_repo.Git("show", "--numstat", "--format=", sha));
        Counts(_repo.Git("show", "--numstat", "--minimal", "--format=", sha)).ShouldNotBe(git, "the history must be one where git's heuristics decide");
        using var reader = GitHistoryReader.Open(_repo.Path);
        reader.LargeFileBytes = 1000;

        // Act
        var file = reader.Read(sha, "host", "actor").Files.Single();

        // Assert
        file.Patch.ShouldBeNull();
        (file.LinesAdded, file.LinesRemoved).ShouldBe(git);
    }

    private static string Diagram(IEnumerable<(int Id, int Value, int X, int Y)> cells) => string.Concat(cells.Select(c =>
        $"<mxCell id=\"{c.Id}\" value=\"v{c.Value}\" style=\"rounded=1;\" vertex=\"1\" parent=\"1\">\n" +
        $"  <mxGeometry x=\"{c.X}\" y=\"{c.Y}\" width=\"120\" height=\"60\" as=\"geometry\"/>\n  </mxGeometry>\n</mxCell>\n"));

    [Fact]
    public void A_modified_large_file_keeps_libgit2s_counts_without_its_patch()
    {
        // Arrange
        _repo.Write("data.json", string.Concat(Enumerable.Range(0, 500).Select(i => $"  \"k{i}\": {i},\n")));
        _repo.Write("small.nix", "{ }\n");
        _repo.Commit("Initial");
        _repo.Write("data.json", string.Concat(Enumerable.Range(0, 500).Select(i => i % 100 == 7 ? $"  \"k{i}\": {i + 1},\n" : $"  \"k{i}\": {i},\n")));
        _repo.Write("small.nix", "{ a = 1; }\n");
        var sha = _repo.Commit("Change both");
        using var reader = GitHistoryReader.Open(_repo.Path);
        reader.LargeFileBytes = 1000;

        // Act
        var e = reader.Read(sha, "host", "actor");

        // Assert
        e.Files.Select(f => f.Path).ShouldBe(["data.json", "small.nix"]);
        var data = e.Files[0];
        (data.LinesAdded, data.LinesRemoved).ShouldBe((5, 5));
        data.Patch.ShouldBeNull();
        data.PatchTruncated.ShouldBeTrue();
        data.Note!.ShouldContain("large file");
        e.Files[1].Patch!.ShouldContain("+{ a = 1; }");
        (e.LinesAdded, e.LinesRemoved).ShouldBe((6, 6));
    }

    // Oracle: removed + added = |a| + |b| - 2 * LCS(a, b), by dynamic programming.
    private static int Lcs(ulong[] a, ulong[] b)
    {
        var row = new int[b.Length + 1];
        foreach (var x in a)
        {
            int diagonal = 0;
            for (int j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = x == b[j - 1] ? diagonal + 1 : Math.Max(row[j], row[j - 1]);
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    [Fact]
    public void The_line_diff_of_large_files_finds_the_fewest_changes_as_a_longest_common_subsequence_does()
    {
        var random = new Random(19);
        for (int round = 0; round < 400; round++)
        {
            // Few distinct lines, so that lines repeat and match in more than one way.
            var a = Enumerable.Range(0, random.Next(0, 60)).Select(_ => (ulong)random.Next(0, 6)).ToArray();
            var b = round % 4 == 0 ? a.ToArray() : a.Where(_ => random.Next(5) > 0).SelectMany(x => random.Next(6) == 0 ? new[] { x, (ulong)random.Next(0, 6) } : [x]).ToArray();

            GitHistoryReader.EditDistance(a, b, maxWork: 1_000_000).ShouldBe(a.Length + b.Length - (2 * Lcs(a, b)), $"round {round}: [{string.Join(",", a)}] -> [{string.Join(",", b)}]");
        }

        // 200 changes against a budget of 64 steps (the least it allows): given up, libgit2 counts those.
        var left = Enumerable.Range(0, 100).Select(i => (ulong)i).ToArray();
        var right = Enumerable.Range(100, 100).Select(i => (ulong)i).ToArray();
        GitHistoryReader.EditDistance(left, right, maxWork: 1).ShouldBeNull();
        GitHistoryReader.EditDistance(left, right, maxWork: 1_000_000).ShouldBe(200);
    }

    [Fact]
    public void A_large_file_rewritten_in_every_other_line_is_counted_exactly_not_given_up()
    {
        // Arrange: 60,000 distinct lines, every other one replaced by a line of its own (a generated
        // file such as a diagram's XML): 30,000 changes each way, far past what the line diff may
        // spend on 120,000 lines, unless the lines found on one side only are left out first.
        var before = Enumerable.Range(0, 60_000).Select(i => (ulong)i).ToList();
        var after = before.Select((line, i) => i % 2 == 0 ? line : 1_000_000 + line).ToList();

        // Act
        var counts = GitHistoryReader.CountChangedLines(before, after);

        // Assert
        counts.ShouldBe((30_000, 30_000));
    }

    [Fact]
    public void A_large_files_counts_are_the_lines_outside_a_longest_common_subsequence()
    {
        // A wider alphabet than above, and common runs at both ends that are trimmed first.
        var random = new Random(1919);
        for (int round = 0; round < 400; round++)
        {
            var a = Enumerable.Range(0, random.Next(0, 80)).Select(_ => (ulong)random.Next(0, 40)).ToList();
            var b = a.Where(_ => random.Next(4) > 0).SelectMany(x => random.Next(5) == 0 ? new[] { x, (ulong)random.Next(0, 60) } : [x]).ToList();
            var lcs = Lcs([.. a], [.. b]);

            GitHistoryReader.CountChangedLines(a, b).ShouldBe((b.Count - lcs, a.Count - lcs), $"round {round}: [{string.Join(",", a)}] -> [{string.Join(",", b)}]");
        }
    }
}
