using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Projections;

/// <summary>A database of its own holding <see cref="ProjectionHistory"/> for three hosts, seeded in a fixed order.</summary>
public sealed class ProjectionFixture : IAsyncLifetime
{
    public const string Golden = "golden";
    public const string Importer = "importer";
    public const string Late = "late";

    public DatabaseFixture Db { get; } = new();

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await ProjectionHistory.SeedAsync(Db.Store, Golden);
        await ProjectionHistory.SeedAsync(Db.Store, Importer);
        await ProjectionHistory.SeedAsync(Db.Store, Late);
    }

    public Task DisposeAsync() => Db.DisposeAsync();
}
