using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Support;

/// <summary>A database of its own for one test class, opened as a Ledger store and dropped afterwards.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private ScratchDatabase? _database;
    private LedgerStore? _store;

    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("Not initialised.");

    public LedgerStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "t");
        _store = await LedgerStore.OpenAsync(_database.ConnectionString);
    }

    /// <summary>One value by raw SQL, to see what is really stored.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>The query plan, with sequential scans discouraged so that a missing index shows as a Sort.</summary>
    public async Task<string> ExplainAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using (var off = new NpgsqlCommand("set enable_seqscan = off", conn))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var cmd = new NpgsqlCommand("explain " + sql, conn);
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
