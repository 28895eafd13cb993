using Ledger.Core.Timeline;
using NpgsqlTypes;

namespace Ledger.Store;

/// <summary>
/// Aggregate reads for <c>ledger serve</c>: health, counts and the latest event of each kind. The
/// daemon runs them on a schedule and caches the answers, never once per scrape.
/// </summary>
public sealed class LedgerStats
{
    private const string ChainTable = MartenConfig.Schema + ".ledger_chain";

    private readonly NpgsqlDataSource _dataSource;

    internal LedgerStats(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>One round trip; throws <see cref="StoreException"/> when the database cannot be reached.</summary>
    public async Task PingAsync(CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand("select 1", conn);
        await cmd.ExecuteScalarAsync(ct);
    }

    /// <summary>How many events are stored under each type alias (all hosts).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select type, count(*) from {MartenConfig.Schema}.mt_events group by type", conn);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>The newest event of each of these types on a host (types with none are absent).</summary>
    public async Task<IReadOnlyDictionary<string, TimelineEntry>> LatestOfTypesAsync(string host, IReadOnlyList<string> types, CancellationToken ct = default)
    {
        // One backward walk of the (type, seq_id) index per type, stopping at the first row of the host.
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand(
            $"""
            select e.seq_id, e.timestamp, e.type, e.stream_id, e.data
            from unnest(@types) as t(type)
            cross join lateral (
                select {LedgerStore.EntryColumns} from {MartenConfig.Schema}.mt_events
                where type = t.type and data->>'host' = @host
                order by seq_id desc limit 1) e
            """,
            conn);
        cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = types.ToArray() });
        cmd.Parameters.AddWithValue("host", host);
        var latest = new Dictionary<string, TimelineEntry>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var entry = LedgerStore.ReadEntry(reader);
            latest[entry.Type] = entry;
        }

        return latest;
    }

    /// <summary>
    /// The newest validation run of a host: the checks that share the run id of its newest
    /// <c>validation_run</c> event, looked for among its latest 500.
    /// </summary>
    public async Task<ValidationRunSummary?> LatestValidationRunAsync(string host, CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand(
            $"""
            select timestamp, data->>'runId', data->>'status' from {MartenConfig.Schema}.mt_events
            where type = 'validation_run' and data->>'host' = @host
            order by seq_id desc limit 500
            """,
            conn);
        cmd.Parameters.AddWithValue("host", host);
        DateTimeOffset? at = null;
        string? runId = null;
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (at is null)
            {
                at = reader.GetFieldValue<DateTimeOffset>(0);
                runId = id;
            }
            else if (id is null || id != runId)
            {
                // A run without an id is one check on its own; otherwise stop at the previous run.
                break;
            }

            var status = reader.IsDBNull(2) ? "unknown" : reader.GetString(2);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }

        return at is { } when ? new ValidationRunSummary(when, runId, statuses) : null;
    }

    /// <summary>The head of the hash chain, or null when this database has no chain table (or nothing is sealed).</summary>
    public async Task<SealedHead?> SealedHeadAsync(CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using (var exists = new NpgsqlCommand($"select to_regclass('{ChainTable}') is not null", conn))
        {
            if (await exists.ExecuteScalarAsync(ct) is not true)
            {
                return null;
            }
        }

        await using var cmd = new NpgsqlCommand($"select seq, sealed_at from {ChainTable} order by seq desc limit 1", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new SealedHead(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>Events of these types on a host after <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> EventsAfterAsync(string host, IReadOnlyList<string> types, long afterSeq, int limit, CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand(
            $"""
            select {LedgerStore.EntryColumns} from {MartenConfig.Schema}.mt_events
            where seq_id > @after and type = any(@types) and data->>'host' = @host
            order by seq_id limit @limit
            """,
            conn);
        cmd.Parameters.AddWithValue("after", afterSeq);
        cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = types.ToArray() });
        cmd.Parameters.AddWithValue("host", host);
        cmd.Parameters.AddWithValue("limit", limit);
        var rows = new List<TimelineEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(LedgerStore.ReadEntry(reader));
        }

        return rows;
    }

    /// <summary>The highest sequence number stored (0 when there are no events).</summary>
    public async Task<long> MaxSeqAsync(CancellationToken ct = default)
    {
        await using var conn = await LedgerStore.OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {MartenConfig.Schema}.mt_events", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
