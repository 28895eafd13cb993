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

        // Act
        var (usual, _) = ReadBothWays(sha);
        using var large = GitHistoryReader.Open(_repo.Path);
        large.LargeFileBytes = 1000;
        var counted = large.Read(sha, "host", "actor").Files.Single();

        // Assert
        usual.Files.Single().Patch.ShouldNotBeNull();
        (counted.LinesAdded, counted.LinesRemoved).ShouldBe((usual.Files.Single().LinesAdded, usual.Files.Single().LinesRemoved));
        counted.Patch.ShouldBeNull();
    }

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
