using Ledger.Capture.Git;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Hostile;

/// <summary>
/// A copied git directory without its config file (a snapshot of objects and refs): git reads it,
/// and so does the first reader, but libgit2 finds no core.bare there and takes the folder above
/// for the working tree. The import's other readers reopened that folder and failed with "is not a
/// git repository" naming the parent (found on public snapshots, issue 19, ninth session).
/// </summary>
public sealed class ConfiglessRepositorySpecs : IDisposable
{
    private readonly GitRepo _repo = new();
    private readonly TempDirectory _copies = new("ledger-configless");

    public void Dispose()
    {
        _copies.Dispose();
        _repo.Dispose();
    }

    [Fact]
    public void Each_reader_of_an_import_opens_a_git_directory_without_a_config_file_as_the_first_did()
    {
        // Arrange
        _repo.Write("configuration.nix", "{ services.jellyfin.enable = true; }\n");
        var sha = _repo.Commit("Jellyfin");
        var snapshot = Path.Combine(_copies.Path, "snapshot");
        _repo.Git("clone", "--quiet", "--bare", _repo.Path, snapshot);
        File.Delete(Path.Combine(snapshot, "config"));

        // Act
        using var first = GitHistoryReader.Open(snapshot);
        using var another = first.OpenAnother();

        // Assert: the snapshot is the repository, not the folder it lies in.
        first.RepoKey.ShouldBe(snapshot);
        another.RepoKey.ShouldBe(first.RepoKey);
        another.Read(sha, "host", "actor").ShouldSatisfyAllConditions(
            e => e.Sha.ShouldBe(sha),
            e => e.Files.ShouldHaveSingleItem().Path.ShouldBe("configuration.nix"));
    }

    [Fact]
    public void Two_snapshots_side_by_side_are_two_repositories_and_checkouts_keep_their_working_tree_as_identity()
    {
        // Arrange: two config-less copies in one folder, a linked worktree, the checkout itself.
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("One");
        var a = Path.Combine(_copies.Path, "a");
        var b = Path.Combine(_copies.Path, "b");
        foreach (var copy in new[] { a, b })
        {
            _repo.Git("clone", "--quiet", "--bare", _repo.Path, copy);
            File.Delete(Path.Combine(copy, "config"));
        }

        var linked = Path.Combine(_copies.Path, "linked");
        _repo.Git("worktree", "add", "--quiet", "-b", "elsewhere", linked);

        // Act
        using var readerA = GitHistoryReader.Open(a);
        using var readerB = GitHistoryReader.Open(b);
        using var readerLinked = GitHistoryReader.Open(linked);
        using var readerCheckout = GitHistoryReader.Open(_repo.Path);

        // Assert
        readerA.RepoKey.ShouldBe(a);
        readerB.RepoKey.ShouldBe(b);
        readerLinked.RepoKey.ShouldBe(linked);
        readerCheckout.RepoKey.ShouldBe(Path.TrimEndingDirectorySeparator(Path.GetFullPath(_repo.Path)));
    }
}
