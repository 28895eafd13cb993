using Ledger.Core.Events;
using Ledger.Store;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Bench.RawSql;

/// <summary>
/// The other side of each comparison: what a person at psql would write against Marten's tables
/// to get the same page, the same report numbers or the same rows in. These are raw SQL on
/// purpose (the question is how far the store's API is from it), so they stay raw and stay here.
/// </summary>
internal sealed partial class Baselines : IAsyncDisposable
{
    private const string Events = "ledger.mt_events";

    private readonly NpgsqlConnection _conn;

    private Baselines(NpgsqlConnection conn)
    {
        _conn = conn;
    }

    public static async Task<Baselines> OpenAsync(string connectionString, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(ConnectionStrings.WithDefaults(connectionString));
        await conn.OpenAsync(ct);
        return new Baselines(conn);
    }

    public ValueTask DisposeAsync() => _conn.DisposeAsync();

    // ---- the git hook: one insert by psql, as a whole process -----------------------------------

    public async Task CreateHookTableAsync(CancellationToken ct) =>
        await Sql.ExecAsync(_conn, "create table bench_hook (id bigserial primary key, sha text not null, at timestamptz not null default now())", ct);

    /// <summary>psql's arguments for the <paramref name="i"/>th insert.</summary>
    public static string[] HookInsertArgs(string connectionString, int i) =>
        [Libpq(connectionString), "-q", "-c", $"insert into bench_hook (sha) values ('{i:x40}')"];

    /// <summary>A libpq connection string (for psql) for an Npgsql one: host, port, user, database, password.</summary>
    public static string Libpq(string npgsql)
    {
        var b = new NpgsqlConnectionStringBuilder(npgsql);
        var parts = new List<string> { $"host={Quote(b.Host ?? "localhost")}", $"port={b.Port}", $"dbname={Quote(b.Database ?? "postgres")}" };
        if (b.Username is { } u)
        {
            parts.Add($"user={Quote(u)}");
        }

        if (b.Password is { } p)
        {
            parts.Add($"password={Quote(p)}");
        }

        return string.Join(' ', parts);

        static string Quote(string v) => "'" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    // ---- sustained append: binary COPY into a table shaped like mt_events ------------------------

    public async Task CreateEventsLookalikeAsync(CancellationToken ct) =>
        await Sql.ExecAsync(_conn, $"create table bench_copy (like {Events} including all)", ct);

    public async Task CopyIntoEventsLookalikeAsync(IEnumerable<(long Seq, string StreamKey, DateTimeOffset At, ILedgerEvent Event)> rows, CancellationToken ct)
    {
        await using var w = await _conn.BeginBinaryImportAsync(MartenRows.CopyEventsSql("bench_copy"), ct);
        foreach (var (seq, key, at, e) in rows)
        {
            await MartenRows.WriteEventAsync(w, seq, key, 1, at, e, ct);
        }

        await w.CompleteAsync(ct);
    }

    // ---- the timeline: one page by a plain where clause ------------------------------------------

    /// <summary>A timeline filter as plain SQL: the condition and its parameter.</summary>
    public sealed record Filter(string Where, NpgsqlParameter Parameter)
    {
        public static Filter Kind(string kind) =>
            new("type = any(@types)", new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = EventCatalogue.AliasesOfKind(kind).ToArray() });

        public static Filter Host(string host) => new("data->>'host' = @host", new NpgsqlParameter("host", host));

        public static Filter Text(string word) =>
            new($"type not in ({LedgerStore.SnapshotTypesSql}) and seq_id in (select seq_id from ledger.event_text where body like ledger.search_fold(@grep))", new NpgsqlParameter("grep", $"%{word}%"));
    }

    /// <summary>The rows of one page of 50 below <paramref name="before"/> (the newest when null), payloads read as text.</summary>
    public async Task<int> TimelinePageAsync(Filter filter, long? before, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select seq_id, timestamp, type, stream_id, data::text from {Events} where is_archived = false and {filter.Where}{(before is null ? "" : " and seq_id < @before")} order by seq_id desc limit 50",
            _conn);
        cmd.Parameters.Add(filter.Parameter.Clone());
        if (before is { } b)
        {
            cmd.Parameters.AddWithValue("before", b);
        }

        var n = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            _ = reader.GetString(4);
            n++;
        }

        return n;
    }

    /// <summary>
    /// What <c>ledger why</c> reads, as a person at psql would fetch it: every event of the host in
    /// the window before the subject, payloads read as text. Returns the row count.
    /// </summary>
    public async Task<int> WindowAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select seq_id, timestamp, type, data::text from {Events} where is_archived = false and data->>'host' = @host and timestamp >= @from and timestamp <= @to order by seq_id desc",
            _conn);
        cmd.Parameters.AddWithValue("host", host);
        cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
        cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
        var n = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            _ = reader.GetString(3);
            n++;
        }

        return n;
    }
}
