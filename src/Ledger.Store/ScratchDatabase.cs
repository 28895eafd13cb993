namespace Ledger.Store;

/// <summary>
/// A throwaway database on a server Ledger can create databases on: one per test class, one per
/// benchmark run. Dropped on dispose.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private ScratchDatabase(string serverConnectionString, string name) => (_serverConnectionString, Name) = (serverConnectionString, name);

    public string Name { get; }

    /// <summary>The server's connection string, pointed at this database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name }.ConnectionString;

    /// <param name="serverConnectionString">Any database on the server; the role must be allowed to CREATE DATABASE.</param>
    /// <param name="prefix">Readable start of the name, e.g. the test class.</param>
    public static async Task<ScratchDatabase> CreateAsync(string serverConnectionString, string prefix, CancellationToken ct = default)
    {
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var name = $"{clean[..Math.Min(clean.Length, 40)]}_{Guid.NewGuid():N}"[..Math.Min(63, clean.Length + 33)];
        await using (var conn = new NpgsqlConnection(serverConnectionString))
        {
            try
            {
                await conn.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand($"create database \"{name}\"", conn);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            catch (NpgsqlException e)
            {
                throw new StoreException($"Could not create the scratch database {name}: {e.Message}. The role needs the CREATEDB privilege.", inner: e);
            }
        }

        return new ScratchDatabase(serverConnectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_serverConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{Name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
