using System.Text.Json;
using Ledger.Capture.Git;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

/// <summary>
/// The direct diff reads on a handle without the working tree when no attributes file can change
/// a diff (libgit2 then skips hundreds of system calls per commit). Either way, every event must
/// be the one LibGit2Sharp reads with the working tree and its attributes.
/// </summary>
public sealed class DiffAttributesSpecs : IDisposable
{
    private readonly GitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    private List<string> History()
    {
        var shas = new List<string>();
        _repo.Write("secrets/media.yaml", "password: ENC[AES256_GCM,data:abc=]\n");
        _repo.Write("lock.json", "{ \"a\": 1 }\n");
        _repo.Write("tool.py", "def main():\n    return 1\n\n\n\n\n\nx = 1\n");
        _repo.Write("blob.dat", "plain text data\n");
        shas.Add(_repo.Commit("Initial"));
        _repo.Write("secrets/media.yaml", "password: ENC[AES256_GCM,data:def=]\n");
        _repo.Write("lock.json", "{ \"a\": 2 }\n");
        _repo.Write("tool.py", "def main():\n    return 1\n\n\n\n\n\nx = 2\n");
        _repo.Write("blob.dat", "plain text data, changed\n");
        shas.Add(_repo.Commit("Change everything"));
        return shas;
    }

    /// <summary>Reads the commits both ways and says whether the direct way went without the working tree.</summary>
    private bool ReadsTheSameAsLibGit2Sharp(IEnumerable<string> shas)
    {
        using var direct = GitHistoryReader.Open(_repo.Path);
        direct.ReadsManyCommits = true;
        using var through = GitHistoryReader.Open(_repo.Path);
        through.DirectDiff = false;
        foreach (var sha in shas)
        {
            var a = direct.Read(sha, "host", "actor");
            var b = through.Read(sha, "host", "actor");
            JsonSerializer.Serialize(a).ShouldBe(JsonSerializer.Serialize(b), $"commit {sha}");
        }

        direct.DirectReads.ShouldBeGreaterThan(0);
        return direct.DiffsWithoutWorkTree;
    }

    [Fact]
    public void Without_any_attributes_file_the_diff_goes_without_the_working_tree()
    {
        ReadsTheSameAsLibGit2Sharp(History()).ShouldBeTrue();
    }

    [Fact]
    public void Attributes_that_do_not_touch_diffs_leave_the_working_tree_out()
    {
        // Arrange: a sops differ nobody configured (libgit2 falls back to its automatic driver),
        // merge drivers and linguist hints, as real NixOS configurations have them.
        _repo.Write(".gitattributes", "# secrets\nsecrets/*.yaml diff=sopsdiffer\n*.json merge=mergiraf\nnix linguist-generated=true\n");
        var shas = History();

        // Act + Assert
        ReadsTheSameAsLibGit2Sharp(shas).ShouldBeTrue();
    }

    [Theory]
    [InlineData("*.dat -diff\n")]
    [InlineData("*.dat binary\n")]
    [InlineData("*.py diff=python\n")]
    [InlineData("[attr]opaque -diff\n*.dat opaque\n")]
    public void Attributes_that_change_diffs_keep_the_working_tree(string attributes)
    {
        _repo.Write(".gitattributes", attributes);
        var shas = History();

        ReadsTheSameAsLibGit2Sharp(shas).ShouldBeFalse();
    }

    [Fact]
    public void A_configured_diff_driver_keeps_the_working_tree_and_its_answer()
    {
        // Arrange
        _repo.Write(".gitattributes", "secrets/*.yaml diff=sopsdiffer\n");
        _repo.Git("config", "diff.sopsdiffer.binary", "true");
        var shas = History();

        // Act
        var withoutWorkTree = ReadsTheSameAsLibGit2Sharp(shas);
        using var reader = GitHistoryReader.Open(_repo.Path);
        var secrets = reader.Read(shas[1], "host", "actor").Files.Single(f => f.Path == "secrets/media.yaml");

        // Assert
        withoutWorkTree.ShouldBeFalse();
        secrets.Binary.ShouldBeTrue();
    }

    [Theory]
    [InlineData("diff.noprefix", null)]
    [InlineData("diff.mnemonicprefix", null)]
    [InlineData("diff.noprefix", "*.dat -diff\n")]
    [InlineData("diff.mnemonicprefix", "*.dat -diff\n")]
    public void A_users_prefix_setting_does_not_change_the_recorded_patch(string setting, string? attributes)
    {
        // Arrange: a setting of the importing user's taste (here in the repository's config, which
        // both handles read), with and without attributes that keep the working tree.
        if (attributes is not null)
        {
            _repo.Write(".gitattributes", attributes);
        }

        var shas = History();
        _repo.Git("config", setting, "true");

        // Act
        using var reader = GitHistoryReader.Open(_repo.Path);
        reader.ReadsManyCommits = true;
        var tool = reader.Read(shas[1], "host", "actor").Files.Single(f => f.Path == "tool.py");

        // Assert: git's own prefixes, as any other user's import records them.
        reader.DiffsWithoutWorkTree.ShouldBe(attributes is null);
        tool.Patch.ShouldStartWith("diff --git a/tool.py b/tool.py\n");
        tool.Patch.ShouldContain("\n--- a/tool.py\n+++ b/tool.py\n");
    }

    [Fact]
    public void An_untracked_attributes_file_in_a_subfolder_keeps_the_working_tree()
    {
        var shas = History();
        _repo.Write("secrets/.gitattributes", "*.yaml -diff\n");

        ReadsTheSameAsLibGit2Sharp(shas).ShouldBeFalse();
    }

    [Fact]
    public void The_repositorys_info_attributes_keeps_the_working_tree()
    {
        var shas = History();
        Directory.CreateDirectory(Path.Combine(_repo.Path, ".git", "info"));
        File.WriteAllText(Path.Combine(_repo.Path, ".git", "info", "attributes"), "*.dat -diff\n");

        ReadsTheSameAsLibGit2Sharp(shas).ShouldBeFalse();
    }

    [Fact]
    public void Folder_symlinks_into_the_working_tree_leave_it_out()
    {
        // Arrange: sops-nix's layout (Mic92/dotfiles holds 647 of these): each secret's folder
        // links to the users and machines that may read it, elsewhere in the same tree.
        _repo.Write("sops/users/joerg/key.json", "{ \"age\": 1 }\n");
        Directory.CreateDirectory(Path.Combine(_repo.Path, "sops", "secrets", "db-password", "users"));
        Directory.CreateSymbolicLink(Path.Combine(_repo.Path, "sops", "secrets", "db-password", "users", "joerg"), "../../../users/joerg");
        var shas = History();

        // Act + Assert: the diff goes without the working tree, and reads the same.
        ReadsTheSameAsLibGit2Sharp(shas).ShouldBeTrue();
    }

    [Fact]
    public void A_folder_symlink_out_of_the_working_tree_keeps_it()
    {
        // Arrange: a link to a folder the walk does not search, which could hold attributes that
        // change diffs under it (libgit2 would read them through the link).
        var outside = Directory.CreateTempSubdirectory("ledger-attributes-");
        try
        {
            File.WriteAllText(Path.Combine(outside.FullName, ".gitattributes"), "*.dat -diff\n");
            Directory.CreateSymbolicLink(Path.Combine(_repo.Path, "vendored"), outside.FullName);
            var shas = History();

            // Act + Assert
            ReadsTheSameAsLibGit2Sharp(shas).ShouldBeFalse();
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_folder_symlink_into_the_git_folder_keeps_the_working_tree()
    {
        // The walk skips .git folders, so attributes reached through such a link are not known.
        Directory.CreateSymbolicLink(Path.Combine(_repo.Path, "info"), ".git/info");
        var shas = History();

        ReadsTheSameAsLibGit2Sharp(shas).ShouldBeFalse();
    }

    [Fact]
    public void Readers_opened_from_a_reader_take_its_decision_instead_of_walking_the_tree_again()
    {
        // Arrange: the first reader decides (no attributes file); then one appears.
        var shas = History();
        using var first = GitHistoryReader.Open(_repo.Path);
        first.ReadsManyCommits = true;
        first.Read(shas[1], "host", "actor");
        _repo.Write(".gitattributes", "*.dat -diff\n");

        // Act
        using var another = first.OpenAnother();
        another.Read(shas[1], "host", "actor");
        using var fresh = GitHistoryReader.Open(_repo.Path);
        fresh.ReadsManyCommits = true;
        fresh.Read(shas[1], "host", "actor");

        // Assert: an import's readers decide once, at its start; a reader opened later decides anew.
        first.DiffsWithoutWorkTree.ShouldBeTrue();
        another.DiffsWithoutWorkTree.ShouldBeTrue();
        fresh.DiffsWithoutWorkTree.ShouldBeFalse();
    }

    [Fact]
    public void A_reader_of_one_commit_keeps_the_working_tree_without_searching_it_and_reads_the_same()
    {
        // Arrange: nothing that could change a diff, so an import's readers would go without it.
        var shas = History();

        // Act
        using var one = GitHistoryReader.Open(_repo.Path);
        var direct = one.Read(shas[1], "host", "actor");
        using var through = GitHistoryReader.Open(_repo.Path);
        through.DirectDiff = false;

        // Assert
        one.DirectReads.ShouldBeGreaterThan(0);
        one.DiffsWithoutWorkTree.ShouldBeFalse();
        JsonSerializer.Serialize(direct).ShouldBe(JsonSerializer.Serialize(through.Read(shas[1], "host", "actor")));
    }
}
