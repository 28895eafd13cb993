using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>Issue 18, part 1: import-git records which direct flake inputs each commit's flake.lock moved.</summary>
public sealed class FlakeInputImportSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-flake");
    private readonly GitRepo _repo = new();

    public FlakeInputImportSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Each_commit_that_changes_flake_lock_carries_the_inputs_it_moved_and_a_bad_lock_is_recorded_with_a_reason()
    {
        // Arrange: a real-shaped lock history.
        var host = "flake-" + Guid.NewGuid().ToString("N")[..8];
        _repo.Write("flake.nix", "{ outputs = { self, nixpkgs }: { }; }\n");
        _repo.Write("flake.lock", Lock(("nixpkgs", "1111111", 1_714_521_600, "nixos-23.11")));
        _repo.Commit("Initial flake");
        _repo.Write("flake.lock", Lock(("nixpkgs", "2222222", 1_715_731_200, "nixos-23.11")));
        _repo.Commit("flake.lock: Update");
        _repo.Write("flake.lock", Lock(("nixpkgs", "3333333", 1_716_940_800, "nixos-24.05"), ("agenix", "4444444", 1_716_000_000, null)));
        _repo.Commit("Switch to 24.05, add agenix");
        _repo.Write("configuration.nix", "{ }\n");
        _repo.Commit("No lock change");
        _repo.Write("flake.lock", "<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> theirs\n");
        _repo.Commit("Commit a conflicted lock");

        // Act
        var run = await new CliRun(_db.ConnectionString, _home.Path, host).RunAsync("import-git", "--repo", _repo.Path, "--host", host);

        // Assert
        run.ExitCode.ShouldBe(0, run.Err);
        var edits = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"], Limit = null })).Reverse().ToList();
        var data = edits.Select(e => (ConfigEdited)e.Data).ToList();
        data[0].FlakeInputs.ShouldNotBeNull().ShouldHaveSingleItem().Change.ShouldBe("added");
        var bump = data[1].FlakeInputs.ShouldNotBeNull().ShouldHaveSingleItem();
        (bump.Input, bump.Change, bump.OldRev, bump.NewRev, bump.OldLastModified, bump.NewLastModified).ShouldBe(("nixpkgs", "updated", "1111111", "2222222", "2024-05-01T00:00:00Z", "2024-05-15T00:00:00Z"));
        edits[1].Title.ShouldEndWith("; nixpkgs +14 days)");
        data[2].FlakeInputs!.Select(c => (c.Input, c.Change)).ShouldBe([("agenix", "added"), ("nixpkgs", "updated")]);
        edits[2].Title.ShouldContain("+agenix, nixpkgs nixos-23.11 → 24.05");
        data[3].FlakeInputs.ShouldBeNull();
        data[3].FlakeLockProblem.ShouldBeNull();
        data[4].FlakeInputs.ShouldBeNull();
        data[4].FlakeLockProblem.ShouldNotBeNull().ShouldContain("merge-conflict markers");

        // A commit that leaves the lock alone is stored as before (no new fields in its JSON).
        var json = (string)(await _db.ScalarAsync($"select data::text from ledger.mt_events where seq_id = {edits[3].Seq}"))!;
        json.ShouldNotContain("flakeInputs");
        json.ShouldNotContain("flakeLockProblem");
    }

    private static string Lock(params (string Name, string Rev, long LastModified, string? Ref)[] inputs)
    {
        var nodes = inputs.Select(i =>
            $"    \"{i.Name}\": {{\n      \"locked\": {{ \"lastModified\": {i.LastModified}, \"narHash\": \"sha256-{i.Rev}\", \"owner\": \"o\", \"repo\": \"{i.Name}\", \"rev\": \"{i.Rev}\", \"type\": \"github\" }},\n" +
            $"      \"original\": {{ \"owner\": \"o\", \"repo\": \"{i.Name}\"{(i.Ref is null ? "" : $", \"ref\": \"{i.Ref}\"")}, \"type\": \"github\" }}\n    }}");
        var rootInputs = string.Join(", ", inputs.Select(i => $"\"{i.Name}\": \"{i.Name}\""));
        return $"{{\n  \"nodes\": {{\n{string.Join(",\n", nodes)},\n    \"root\": {{ \"inputs\": {{ {rootInputs} }} }}\n  }},\n  \"root\": \"root\",\n  \"version\": 7\n}}\n";
    }
}
