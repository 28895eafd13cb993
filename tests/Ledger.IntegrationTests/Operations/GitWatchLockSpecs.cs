using System.Diagnostics;
using Ledger.App.Recording;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Operations;

/// <summary>The daemon's git watch leaves a repository alone while a deploy or restore holds its lock.</summary>
public sealed class GitWatchLockSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly GitRepo _repo = new();

    public GitWatchLockSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_commit_made_under_a_restore_lock_is_recorded_only_after_the_lock_is_gone()
    {
        // Arrange: a commit, and a lock held by another live process (as a restore mid-switch)
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Restore to event #1: test");
        using var holder = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var lockFile = Path.Combine(_repo.Path, ".git", "ledger.lock");
        await File.WriteAllTextAsync(lockFile, $$"""{"Pid":{{holder.Id}},"Operation":"restore","Since":"2026-12-06T16:00:00+00:00"}""");
        var watch = new GitWatch(_db.Store, _repo.Path, "watch-lock", "ledger-serve", Serilog.Core.Logger.None);

        try
        {
            // Act
            var locked = await watch.LookAsync(CancellationToken.None);
            var whileLocked = await _db.Store.TimelineAsync(new TimelineQuery { Host = "watch-lock" });
            File.Delete(lockFile);
            var unlocked = await watch.LookAsync(CancellationToken.None);

            // Assert
            locked.ShouldBeNull();
            whileLocked.ShouldBeEmpty();
            unlocked.ShouldNotBeNull().ShouldContain("1 new commits recorded");
        }
        finally
        {
            holder.Kill();
        }
    }
}
