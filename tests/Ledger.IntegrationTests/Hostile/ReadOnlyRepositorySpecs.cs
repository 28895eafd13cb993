using System.Diagnostics;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Hostile;

/// <summary>
/// Issue 15: reading needs only read rights, writing (deploy, restore) says which rights it lacks.
/// A read-only filesystem refuses writing even to root, so it stands in for another user's repository.
/// </summary>
public sealed class ReadOnlyRepositorySpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-home");
    private readonly TempDirectory _dir = new("ledger-ro");
    private bool _mounted;

    public ReadOnlyRepositorySpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", _dir.Path);
        }

        _dir.Dispose();
        _home.Dispose();
    }

    private static void Run(params string[] args)
    {
        using var p = Process.Start(args[0], args[1..])!;
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, string.Join(' ', args));
    }

    [RootFact("to mount a read-only filesystem")]
    public async Task A_repository_that_cannot_be_written_is_imported_and_deploy_exits_2_naming_the_folder_issue_15()
    {
        // Arrange: a repository on a tmpfs, then remounted read-only.
        Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", _dir.Path);
        _mounted = true;
        var repo = Path.Combine(_dir.Path, "nixos");
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, "configuration.nix"), "{ }\n");
        Run("git", "-C", repo, "init", "-q", "-b", "main");
        Run("git", "-C", repo, "add", "-A");
        Run("git", "-C", repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "Initial");
        Run("mount", "-o", "remount,ro", _dir.Path);
        var cli = new CliRun(_db.ConnectionString, _home.Path, "ro-host");

        // Act
        var import = await cli.RunAsync("import-git", "--repo", repo);
        var deploy = await cli.RunAsync("deploy", "-m", "Try", "--repo", repo, "--no-validate");

        // Assert
        import.ExitCode.ShouldBe(0, import.Err);
        deploy.ExitCode.ShouldBe(2, deploy.Out + deploy.Err);
        deploy.Err.ShouldContain(Path.Combine(repo, ".git"));
        deploy.Err.ShouldContain("cannot write");
    }
}
