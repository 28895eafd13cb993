using Ledger.App.Daemon;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Serve;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Hostile;

/// <summary>The daemon's git watch records a damaged history completely and says which commits lack content (issue 15).</summary>
public sealed class HostileWatchSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-serve");
    private readonly GitRepo _repo = new();

    public HostileWatchSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task The_git_watch_records_a_commit_with_a_lost_blob_and_logs_a_warning_naming_it_issue_15()
    {
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("Initial configuration");
        _repo.Write("lost.nix", "{ lost = true; }\n");
        var damaged = _repo.Commit("Add a file whose blob will be lost");
        _repo.Write("configuration.nix", "{ services.jellyfin.enable = true; }\n");
        _repo.Commit("Enable jellyfin");
        var blob = _repo.Git("rev-parse", $"{damaged}:lost.nix").Trim();
        File.Delete(Path.Combine(_repo.Path, ".git", "objects", blob[..2], blob[2..]));

        var settings = new ServeSettings { Repo = _repo.Path, Intervals = TestServe.AllOff with { Git = 1 } };
        await using var serve = await TestServe.StartAsync(_db.Store, _home.Path, "watch-damaged", settings);
        var events = await TestServe.WaitForEventsAsync(_db.Store, "watch-damaged", e => e.Count(x => x.Type == "config_edited") == 3, why: "all three commits");

        events.Select(e => e.Data).OfType<ConfigEdited>().Single(e => e.Sha == damaged).Incomplete.ShouldNotBeNull();
        serve.Log.ShouldContain($"Commit {damaged}");
        serve.Log.ShouldContain("was recorded without part of its content");
    }
}
