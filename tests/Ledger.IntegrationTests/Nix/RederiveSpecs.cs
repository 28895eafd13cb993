using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests.Nix;

/// <summary>Issue 18: commits recorded before Ledger read Nix facts get them by a documented re-derivation, never by editing stored events.</summary>
public sealed class RederiveSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-rederive");
    private readonly GitRepo _repo = new();
    private readonly string _host = "rederive-" + Guid.NewGuid().ToString("N")[..8];

    public RederiveSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Import_with_rederive_appends_the_facts_an_older_event_lacks_and_readers_merge_them()
    {
        // Arrange: a multi-host flake whose commits an older Ledger recorded without Nix facts.
        var media = "media-" + _host;
        _repo.Write("flake.nix", $"{{ outputs = {{ nixpkgs, ... }}: {{ nixosConfigurations.{media} = nixpkgs.lib.nixosSystem {{ }}; }}; }}\n");
        _repo.Write($"hosts/{media}/default.nix", "{ }\n");
        _repo.Write("flake.lock", Lock("1111111", 1_714_521_600));
        var first = _repo.Commit("Initial flake");
        _repo.Write("flake.lock", Lock("2222222", 1_715_731_200));
        var bump = _repo.Commit("flake.lock: Update");
        using (var reader = GitHistoryReader.Open(_repo.Path))
        {
            foreach (var sha in new[] { first, bump })
            {
                var old = reader.Read(sha, _host, "old-ledger") with { FlakeInputs = null, FlakeLockProblem = null, Hosts = null, Shared = null };
                await _db.Store.AppendAsync(new NewEvent(StreamKeys.Commit(_host, reader.RepoKey, sha), old, old.CommittedAt));
            }
        }

        var bumpSeq = (await EditsAsync()).Single(e => ((ConfigEdited)e.Data).Sha == bump).Seq;
        var storedBefore = (string)(await _db.ScalarAsync($"select data::text from ledger.mt_events where seq_id = {bumpSeq}"))!;
        var cli = new CliRun(_db.ConnectionString, _home.Path, _host);

        // Act
        var run = await cli.RunAsync("import-git", "--repo", _repo.Path, "--rederive");
        var again = await cli.RunAsync("import-git", "--repo", _repo.Path, "--rederive");

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        run.Out.ShouldContain("Derived the Nix facts again for 2 recorded commits: 2 got new facts");
        again.Out.ShouldContain("2 recorded commits: 0 got new facts");
        ((string)(await _db.ScalarAsync($"select data::text from ledger.mt_events where seq_id = {bumpSeq}"))!).ShouldBe(storedBefore, "the stored event is never edited");

        var merged = (await EditsAsync()).Single(e => e.Seq == bumpSeq);
        var c = (ConfigEdited)merged.Data;
        c.FlakeInputs.ShouldNotBeNull().ShouldHaveSingleItem().NewRev.ShouldBe("2222222");
        (string.Join(',', c.Hosts!), c.Shared).ShouldBe(("", (bool?)true));
        merged.Title.ShouldEndWith("; nixpkgs +14 days)");
        (await cli.RunAsync("show", bumpSeq.ToString(System.Globalization.CultureInfo.InvariantCulture))).Out.ShouldContain("input:   nixpkgs +14 days (1111111 → 2222222)");
        var derived = await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["annotation"], Limit = null });
        derived.Count.ShouldBe(2);
        derived.ShouldAllBe(d => d.Type == "change_derived");

        // The readers that build on the merged event: timeline --affects, change docs.
        var affects = await cli.RunAsync("timeline", "--affects", media, "--kind", "config-edit", "--json");
        affects.Out.ShouldContain(first);
        var docs = Path.Combine(_home.Path, "docs");
        (await cli.RunAsync("docs", "--out", docs, "--time-zone", "UTC")).ExitCode.ShouldBe(0);
        Directory.GetFiles(docs, "*flake-lock-update*.md").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            f => File.ReadAllText(f).ShouldContain("- **Inputs Updated**:\n  - nixpkgs +14 days (`1111111` → `2222222`)"),
            f => File.ReadAllText(f).ShouldContain("- **Hosts**: shared (every host)"));
    }

    private async Task<IReadOnlyList<TimelineEntry>> EditsAsync() =>
        await _db.Store.TimelineAsync(new TimelineQuery { Host = _host, Kinds = ["config-edit"], Limit = null });

    private static string Lock(string rev, long lastModified) => FlakeLockText.Of(rev, lastModified);
}
