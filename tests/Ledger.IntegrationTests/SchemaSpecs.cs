using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests;

/// <summary>What the schema does to what is stored.</summary>
public sealed class SchemaSpecs : IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public SchemaSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    [Fact]
    public async Task A_large_payload_is_stored_lz4_compressed_and_reads_back_whole()
    {
        // Arrange: a patch well over PostgreSQL's 2 kB compression threshold.
        var patch = string.Concat(Enumerable.Range(0, 400).Select(i => $"+  services.app{i}.enable = true;\n"));
        var edit = new ConfigEdited(
            "schema-host", "alice", "/etc/nixos", new string('a', 40), [], "Alice", "alice@example.org", DateTimeOffset.UtcNow, "Many apps\n", "Many apps",
            [new FileChange("apps.nix", null, FileChangeKind.Added, 400, 0, [new LineRange(1, 400)], false, patch)],
            400,
            0);

        // Act
        var seq = (await _db.Store.TryStartStreamAsync(new NewEvent("commit:schema-host:lz4", edit)))!.Value;

        // Assert
        (await _db.ScalarAsync($"select pg_column_compression(data) from ledger.mt_events where seq_id = {seq}")).ShouldBe("lz4");
        (await _db.Store.GetAsync(seq))!.Data.ShouldBeOfType<ConfigEdited>().Files[0].Patch.ShouldBe(patch);
    }
}
