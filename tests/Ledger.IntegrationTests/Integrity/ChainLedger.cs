using System.Text.Json;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// A ledger database of its own for one test (the chain covers the whole event table, so tests
/// cannot share one), with the CLI pointed at it and helpers to tamper as the owner.
/// </summary>
public sealed class ChainLedger : IAsyncLifetime
{
    private readonly DatabaseFixture _db = new();
    private readonly TempDirectory _home = new("ledger-chain");

    public LedgerStore Store => _db.Store;

    public string ConnectionString => _db.ConnectionString;

    public string Home => _home.Path;

    /// <summary>The CLI, connected as the database owner (the test server's superuser).</summary>
    public CliRun Cli => new(ConnectionString, _home.Path, "media01");

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _home.Dispose();
    }

    /// <summary>Appends <paramref name="count"/> events, each a stream of its own, in a few transactions.</summary>
    public Task<int> AppendAsync(int count, string host = "media01", string tag = "repo") =>
        Store.StartStreamsAsync(
            Enumerable.Range(0, count).Select(i => new NewEvent(
                StreamKeys.Repository(host, $"/srv/{tag}-{Guid.NewGuid():N}"),
                new RepositoryRegistered(host, "tester", $"/srv/{tag}-{i}", "main", false))));

    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, string? connectionString = null)
    {
        await using var conn = new NpgsqlConnection(connectionString ?? ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs <paramref name="sql"/> the way a database owner would to rewrite history: the guard
    /// triggers switched off for one transaction (the owner may do that; the application role may not).
    /// </summary>
    public Task TamperAsync(string sql) =>
        ExecuteAsync(
            $"""
            begin;
            alter table ledger.mt_events disable trigger user;
            alter table ledger.ledger_chain disable trigger user;
            {sql};
            alter table ledger.mt_events enable always trigger ledger_append_only;
            alter table ledger.mt_events enable always trigger ledger_append_only_truncate;
            alter table ledger.ledger_chain enable always trigger ledger_append_only;
            alter table ledger.ledger_chain enable always trigger ledger_append_only_truncate;
            commit;
            """);

    /// <summary>Runs <c>ledger verify --json</c> (plus <paramref name="args"/>) and parses what it printed.</summary>
    public async Task<(int ExitCode, JsonElement Json)> VerifyJsonAsync(params string[] args)
    {
        var run = await Cli.RunAsync(["verify", "--json", .. args]);
        using var doc = JsonDocument.Parse(run.Out);
        return (run.ExitCode, doc.RootElement.Clone());
    }
}
