using Ledger.Core.Errors;
using Ledger.Store.Chain;
using Ledger.Store.Projections;
using Marten;

namespace Ledger.Store;

/// <summary>
/// Ledger's append and query API over Marten. Appends go through Marten sessions; the timeline
/// reads <c>mt_events</c> directly with keyset paging so that a page never scans the whole table.
/// </summary>
/// <remarks>
/// One class in a file per concern: <c>LedgerStore.Schema.cs</c>, <c>.Appending.cs</c>,
/// <c>.Streams.cs</c>, <c>.Timeline.cs</c>, <c>.TextIndex.cs</c>, <c>.Blobs.cs</c> and
/// <c>.Restore.cs</c>. This file opens, retries and closes; the chain, the statistics and the read
/// models are sub-objects.
/// </remarks>
public sealed partial class LedgerStore : IAsyncDisposable
{
    /// <summary>The stored types of snapshots, which free-text search leaves out unless asked for.</summary>
    public static readonly IReadOnlySet<string> SnapshotTypes = EventCatalogue.All.Where(d => d.Kind.EndsWith("-snapshot", StringComparison.Ordinal)).Select(d => d.Alias).ToHashSet(StringComparer.Ordinal);

    // Literal, in the same order in the index predicate and in queries, so that the planner can match them.
    public static readonly string SnapshotTypesSql = string.Join(", ", SnapshotTypes.Order(StringComparer.Ordinal).Select(t => $"'{t}'"));

    /// <summary>
    /// The condition the timeline (and so the TUI and searches) puts on every event it reads.
    /// <c>ledger verify</c> fails on any event that does not meet it: hidden is as good as deleted.
    /// </summary>
    internal const string VisibleSql = "is_archived = false";

    private readonly Lazy<DocumentStore> _store;
    private readonly NpgsqlDataSource _dataSource;
    private readonly RetryPolicy _retry;

    private LedgerStore(Lazy<DocumentStore> store, NpgsqlDataSource dataSource, RetryPolicy retry, string description)
    {
        _store = store;
        _dataSource = dataSource;
        _retry = retry;
        Description = description;
        Chain = new LedgerChain(dataSource);
        Appender = new EventAppender(dataSource, retry, ownsDataSource: false);
    }

    /// <summary>Where the events live, for headers and messages (no password).</summary>
    public string Description { get; }

    /// <summary>The change records (read model of the change docs), built in the database.</summary>
    public ChangeRecords Changes => new(_dataSource);

    /// <summary>Per-host statistics of a period (read model of the monthly report), aggregated in the database.</summary>
    public MonthlyStats Monthly => new(_dataSource, _retry);

    /// <summary>Batches of new streams and which streams exist, over this store's connections (<see cref="EventAppender"/>).</summary>
    public EventAppender Appender { get; }

    /// <summary>The hash chain over the events: seal, verify, head.</summary>
    public LedgerChain Chain { get; }

    /// <summary>The fleet's hosts and their roles (<c>ledger fleet</c>).</summary>
    public Fleet.FleetAdmin Fleet => new(_dataSource, this);

    /// <summary>Aggregate reads for the daemon's metrics and health check.</summary>
    public LedgerStats Stats => new(_dataSource);

    /// <summary>
    /// Opens the store, creating the schema on first use. Later opens check one row and skip
    /// Marten's schema comparison, which keeps short-lived processes (git hooks) fast.
    /// </summary>
    public static Task<LedgerStore> OpenAsync(string connectionString, CancellationToken ct = default) =>
        OpenAsync(connectionString, RetryPolicy.None, ct);

    /// <summary>
    /// Opens the store with a retry policy for transient database errors. Opening itself waits only
    /// for a server that is starting up or shutting down: a database that cannot be reached at all
    /// is a configuration problem and is reported at once.
    /// </summary>
    public static async Task<LedgerStore> OpenAsync(string connectionString, RetryPolicy retry, CancellationToken ct = default)
    {
        connectionString = ConnectionStrings.WithDefaults(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await retry.RunAsync(
                "opening the database",
                async _ =>
                {
                    await using var conn = await OpenConnectionAsync(dataSource, ct);
                    if (await ReadSchemaVersionAsync(conn, ct) != MartenConfig.SchemaVersion)
                    {
                        await CreateSchemaAsync(conn, connectionString, ct);
                    }

                    return true;
                },
                DatabaseErrors.IsServerStartingOrStopping,
                () =>
                {
                    dataSource.Clear();
                    return Task.CompletedTask;
                },
                ct);

            // Marten shares this data source, so that one Clear() after a lost connection drops every dead pooled connection.
            // Its store costs hundreds of milliseconds to build; reads (timeline, TUI, docs, report)
            // go straight to the data source and never need it, so it is built on first append.
            var store = new Lazy<DocumentStore>(() => MartenConfig.Create(dataSource, manageSchema: false));
            return new LedgerStore(store, dataSource, retry, Describe(connectionString));
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store.IsValueCreated)
        {
            _store.Value.Dispose();
        }
        await _dataSource.DisposeAsync();
    }

    /// <summary>How many events are stored (all hosts).</summary>
    public Task<long> CountAsync(CancellationToken ct = default) =>
        RetryAsync("counting events", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select count(*) from {MartenConfig.Schema}.mt_events", conn);
            return (long)(await cmd.ExecuteScalarAsync(ct))!;
        }, ct);

    private Task<T> RetryAsync<T>(string what, Func<Task<T>> operation, CancellationToken ct) =>
        RetryAsync(what, _ => operation(), ct);

    private Task<T> RetryAsync<T>(string what, Func<int, Task<T>> operation, CancellationToken ct) =>
        _retry.RunAsync(what, _dataSource, operation, ct);

    internal static async Task<NpgsqlConnection> OpenConnectionAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StoreException(
                $"Cannot reach the database ({Describe(dataSource.ConnectionString)}): {e.Message}\n" +
                "Check --db / LEDGER_DB, or for the embedded database run 'ledger db status' and 'ledger db start'.",
                ExitCodes.UsageOrEnvironment,
                e);
        }
    }

    private static string Describe(string connectionString) => ConnectionStrings.Describe(connectionString);
}
