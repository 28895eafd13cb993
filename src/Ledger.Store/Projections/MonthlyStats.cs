using Ledger.Core.Reports;
using NpgsqlTypes;

namespace Ledger.Store.Projections;

/// <summary>
/// Per-host statistics of a period, aggregated by PostgreSQL over <c>mt_events</c> (grouping,
/// percentiles, window functions): each query returns a handful of rows, never the events.
/// Periods are half-open [from, to); daily series take the local midnights as bucket bounds, so
/// the caller's time zone (and its DST changes) decides what a day is.
/// </summary>
public sealed class MonthlyStats
{
    private static readonly string S = MartenConfig.Schema;
    private readonly NpgsqlDataSource _dataSource;
    private readonly RetryPolicy _retry;

    internal MonthlyStats(NpgsqlDataSource dataSource, RetryPolicy? retry = null)
    {
        _dataSource = dataSource;
        _retry = retry ?? RetryPolicy.None;
    }

    /// <summary>The period's changes, deploys by outcome, restores, checks run and passed, alert firings and backups.</summary>
    public async Task<PeriodCounts> CountsAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var rows = await QueryAsync(
            $"""
            select count(*) filter (where type = 'config_edited'),
                   count(*) filter (where type = 'deploy_finished'),
                   count(*) filter (where type = 'deploy_finished' and data->>'outcome' = 'succeeded'),
                   count(*) filter (where type = 'deploy_finished' and data->>'outcome' in ('failed', 'validationFailed')),
                   count(*) filter (where type = 'deploy_finished' and data->>'outcome' = 'rolledBack'),
                   count(*) filter (where type = 'restore_started'),
                   count(*) filter (where type = 'validation_run'),
                   count(*) filter (where type = 'validation_run' and data->>'status' = 'pass'),
                   count(*) filter (where type = 'alert_fired'),
                   count(*) filter (where type = 'backup_taken')
            from {S}.mt_events
            where type in ('config_edited', 'deploy_finished', 'restore_started', 'validation_run', 'alert_fired', 'backup_taken')
              and data->>'host' = @host and timestamp >= @from and timestamp < @to
            """,
            host, from, to, null,
            r => new PeriodCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9)),
            ct);
        return rows[0];
    }

    /// <summary>The deploys finished in the period, oldest first.</summary>
    public Task<IReadOnlyList<DeployStat>> DeploysAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select data->>'deployId', seq_id, timestamp, data->>'commit', data->>'action', data->>'outcome',
                   coalesce((data->>'validated')::boolean, false), (data->>'generation')::int, coalesce((data->>'durationMs')::bigint, 0)
            from {S}.mt_events
            where type = 'deploy_finished' and data->>'host' = @host and timestamp >= @from and timestamp < @to
            order by seq_id
            """,
            host, from, to, null,
            r => new DeployStat(r.GetString(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetBoolean(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetInt64(8)),
            ct);

    /// <summary>The switches of the period that recorded package changes (deploys, restores, observed generations), oldest first.</summary>
    public Task<IReadOnlyList<SwitchPackages>> SwitchPackagesAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select seq_id, timestamp, type, data->'packageChanges'
            from {S}.mt_events
            where type in ('deploy_finished', 'restore_completed', 'generation_activated') and data->>'host' = @host
              and timestamp >= @from and timestamp < @to and jsonb_typeof(data->'packageChanges') = 'array'
            order by seq_id
            """,
            host, from, to, null,
            r => new SwitchPackages(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2),
                System.Text.Json.JsonSerializer.Deserialize<List<Ledger.Core.Nix.PackageChange>>(r.GetString(3), Ledger.Core.Events.EventJson.Options) ?? []),
            ct);

    /// <summary>The restores started in the period, with how each ended.</summary>
    public Task<IReadOnlyList<RestoreStat>> RestoresAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select st.data->>'restoreId', st.seq_id, st.timestamp, (st.data->>'targetSeq')::bigint, st.data->>'targetCommit', st.data->>'via',
                   coalesce((st.data->>'automatic')::boolean, false), st.data->>'reason',
                   coalesce(fin.result, 'unfinished'), fin.new_commit
            from {S}.mt_events st
            left join lateral (
              select case when e.type = 'restore_completed' then 'completed' else 'failed' end as result, e.data->>'newCommit' as new_commit
              from {S}.mt_events e where e.stream_id = st.stream_id and e.type in ('restore_completed', 'restore_failed')
              order by e.seq_id desc limit 1) fin on true
            where st.type = 'restore_started' and st.data->>'host' = @host and st.timestamp >= @from and st.timestamp < @to
            order by st.seq_id
            """,
            host, from, to, null,
            r => new RestoreStat(r.GetString(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetBoolean(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9)),
            ct);

    /// <summary>Per check: how often it ran, passed, failed and erred in the period, and its last summary that was not a pass.</summary>
    public Task<IReadOnlyList<CheckStat>> ChecksAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select data->>'check', max(data->>'checkKind'), count(*),
                   count(*) filter (where data->>'status' = 'pass'),
                   count(*) filter (where data->>'status' = 'fail'),
                   count(*) filter (where data->>'status' = 'error'),
                   (array_agg(data->>'summary' order by seq_id desc) filter (where data->>'status' <> 'pass'))[1]
            from {S}.mt_events
            where type = 'validation_run' and data->>'host' = @host and timestamp >= @from and timestamp < @to
            group by 1 order by 1
            """,
            host, from, to, null,
            r => new CheckStat(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetString(6)),
            ct);

    /// <summary>
    /// Every firing and resolution recorded in the period (a few columns each), ordered by time,
    /// for <see cref="AlertOccurrences.Pair"/>: a firing is at its <c>startsAt</c>, a resolution
    /// at its <c>endsAt</c>.
    /// </summary>
    public Task<IReadOnlyList<AlertTransition>> AlertTransitionsAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select fingerprint, name, at, firing, severity, seq_id from ({AlertTransitionRows}
              and timestamp >= @from and timestamp < @to) t
            order by at, not firing, seq_id
            """,
            host, from, to, null,
            ReadTransition,
            ct);

    /// <summary>
    /// The firings still open at <paramref name="at"/>: per alert fingerprint, every firing recorded
    /// before it that no later resolution of that fingerprint ended (the rule of
    /// <see cref="AlertOccurrences.Pair"/>; a firing and a resolution at the same instant count as
    /// fired, then resolved). Oldest first.
    /// </summary>
    /// <remarks>
    /// Keyed by fingerprint, not by stream: a firing and its resolution are stored in two streams
    /// (<see cref="Ledger.Core.Events.StreamKeys.AlertOccurrence"/>), so a firing's own stream never
    /// ends in a resolution.
    /// </remarks>
    public Task<IReadOnlyList<AlertTransition>> OpenAlertsAsync(string host, DateTimeOffset at, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            with t as ({AlertTransitionRows} and timestamp < @to),
            ended as (select fingerprint, max(at) as at from t where not firing group by fingerprint)
            select t.fingerprint, t.name, t.at, t.firing, t.severity, t.seq_id
            from t left join ended e on e.fingerprint = t.fingerprint
            where t.firing and (e.at is null or t.at > e.at)
            order by t.at, t.seq_id
            """,
            host, at, at, null,
            ReadTransition,
            ct);

    /// <summary>Per GPU: utilisation percentiles, encoder and decoder use, peak memory, temperature and power.</summary>
    public Task<IReadOnlyList<GpuStat>> GpusAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select (g->>'index')::int, max(g->>'name'), count(*),
                   avg((g->>'utilizationGpuPercent')::float8), percentile_disc(0.95) within group (order by (g->>'utilizationGpuPercent')::float8),
                   max((g->>'utilizationGpuPercent')::float8),
                   avg((g->>'encoderPercent')::float8), max((g->>'encoderPercent')::float8),
                   avg((g->>'decoderPercent')::float8), max((g->>'decoderPercent')::float8),
                   max((g->>'memoryUsedMiB')::float8), max((g->>'memoryTotalMiB')::float8),
                   max((g->>'temperatureC')::float8), max((g->>'powerWatts')::float8)
            {SnapshotElements("gpu_snapshot_taken", "gpus", "g")}
            group by 1 order by 1
            """,
            host, from, to, null,
            r => new GpuStat(r.GetInt32(0), r.GetString(1), r.GetInt64(2), D(r, 3), D(r, 4), D(r, 5), D(r, 6), D(r, 7), D(r, 8), D(r, 9), D(r, 10), D(r, 11), D(r, 12), D(r, 13)),
            ct);

    /// <summary>
    /// Per container: snapshots seen, re-creations (a new id) and restarts (restart counts summed
    /// per id, plus re-creations), unhealthy snapshots and unhealthy periods (counted where the
    /// health turns to unhealthy), the first unhealthy moment and the last state.
    /// </summary>
    public Task<IReadOnlyList<ContainerStat>> ContainersAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            with s as (
              select e.seq_id, e.timestamp, c->>'name' as name, c->>'id' as id, (c->>'restartCount')::int as restarts,
                     c->>'state' as state, c->>'health' as health,
                     lag(c->>'health') over (partition by c->>'name' order by e.seq_id) as prev_health
              {SnapshotElements("container_snapshot_taken", "containers", "c")}
            ),
            per_id as (
              select name, id, max(restarts) - min(restarts) as restarts from s group by name, id
            )
            select s.name, count(*), count(distinct s.id) - 1,
                   (select sum(p.restarts) from per_id p where p.name = s.name) + count(distinct s.id) - 1,
                   count(*) filter (where s.health = 'unhealthy'),
                   count(*) filter (where s.health = 'unhealthy' and s.prev_health is distinct from 'unhealthy'),
                   min(s.timestamp) filter (where s.health = 'unhealthy'),
                   (array_agg(s.state order by s.seq_id desc))[1], (array_agg(s.health order by s.seq_id desc))[1]
            from s group by s.name order by s.name
            """,
            host, from, to, null,
            r => new ContainerStat(r.GetString(0), r.GetInt64(1), r.GetInt64(2), Convert.ToInt64(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture), r.GetInt64(4), r.GetInt64(5),
                r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8)),
            ct);

    /// <summary>Per mount: its latest tier, the first and last snapshot's time and used bytes, the last available and total bytes, the peak used and the number of readings.</summary>
    public Task<IReadOnlyList<MountStat>> MountsAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select mount, (array_agg(tier order by seq_id desc))[1],
                   min(timestamp), (array_agg(used order by seq_id))[1],
                   max(timestamp), (array_agg(used order by seq_id desc))[1], (array_agg(available order by seq_id desc))[1],
                   (array_agg(total order by seq_id desc))[1], max(used), count(*)
            from (
              select e.seq_id, e.timestamp, x->>'mount' as mount, x->>'tier' as tier, (x->>'usedBytes')::bigint as used,
                     (x->>'availableBytes')::bigint as available, (x->>'totalBytes')::bigint as total
              {SnapshotElements("storage_snapshot_taken", "mounts", "x")}
            ) m
            group by mount order by mount
            """,
            host, from, to, null,
            r => new MountStat(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9)),
            ct);

    /// <summary>The last backup of every path taken before <paramref name="to"/>, and how many were taken in the period.</summary>
    public Task<IReadOnlyList<BackupStat>> BackupsAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        QueryAsync(
            $"""
            select data->>'path', max(timestamp), (array_agg(seq_id order by seq_id desc))[1], (array_agg(data->>'sha256' order by seq_id desc))[1],
                   (array_agg((data->>'sizeBytes')::bigint order by seq_id desc))[1], count(*) filter (where timestamp >= @from)
            from {S}.mt_events
            where type = 'backup_taken' and data->>'host' = @host and timestamp < @to
            group by 1 order by 1
            """,
            host, from, to, null,
            r => new BackupStat(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5)),
            ct);

    /// <summary>Daily GPU utilisation (mean of all GPUs), one value per bucket between <paramref name="bounds"/>.</summary>
    public Task<IReadOnlyList<DailySeries>> GpuDailyAsync(string host, IReadOnlyList<DateTimeOffset> bounds, CancellationToken ct = default) =>
        SnapshotElementsDailyAsync(host, bounds, "gpu_snapshot_taken", "gpus", "'gpu'", "avg((x->>'utilizationGpuPercent')::float8)", ct);

    /// <summary>Daily peak used bytes per mount.</summary>
    public Task<IReadOnlyList<DailySeries>> StorageDailyAsync(string host, IReadOnlyList<DateTimeOffset> bounds, CancellationToken ct = default) =>
        SnapshotElementsDailyAsync(host, bounds, "storage_snapshot_taken", "mounts", "x->>'mount'", "max((x->>'usedBytes')::float8)", ct);

    /// <summary>
    /// A daily series per <paramref name="series"/> over the elements <c>x</c> of a snapshot's
    /// <paramref name="array"/> (one per GPU, one per mount), each day's <paramref name="value"/>
    /// aggregated over them. The arguments are SQL written here, never input.
    /// </summary>
    private Task<IReadOnlyList<DailySeries>> SnapshotElementsDailyAsync(string host, IReadOnlyList<DateTimeOffset> bounds, string type, string array, string series, string value, CancellationToken ct) =>
        DailyAsync(
            $"""
            select {series}, width_bucket(e.timestamp, @bounds), {value}
            {SnapshotElements(type, array, "x")}
            group by 1, 2
            """,
            host, bounds, ct);

    /// <summary>Config changes and alert firings per day.</summary>
    public Task<IReadOnlyList<DailySeries>> ActivityDailyAsync(string host, IReadOnlyList<DateTimeOffset> bounds, CancellationToken ct = default) =>
        DailyAsync(
            $"""
            select case when type = 'config_edited' then 'changes' else 'alerts' end, width_bucket(timestamp, @bounds), count(*)::float8
            from {S}.mt_events
            where type in ('config_edited', 'alert_fired') and data->>'host' = @host and timestamp >= @from and timestamp < @to
            group by 1, 2
            """,
            host, bounds, ct);

    /// <summary>
    /// The FROM and WHERE of a query over the elements of a host's snapshots of one type in the
    /// period: <c>e</c> the event, <paramref name="element"/> one element of its <paramref name="array"/>.
    /// </summary>
    private static string SnapshotElements(string type, string array, string element) =>
        $"""
        from {S}.mt_events e, jsonb_array_elements(e.data->'{array}') {element}
        where e.type = '{type}' and e.data->>'host' = @host and e.timestamp >= @from and e.timestamp < @to
        """;

    private async Task<IReadOnlyList<DailySeries>> DailyAsync(string sql, string host, IReadOnlyList<DateTimeOffset> bounds, CancellationToken ct)
    {
        var days = bounds.Count - 1;
        var series = new SortedDictionary<string, double?[]>(StringComparer.Ordinal);
        var rows = await QueryAsync(sql, host, bounds[0], bounds[^1], bounds, r => (Name: r.GetString(0), Bucket: r.GetInt32(1), Value: r.IsDBNull(2) ? (double?)null : r.GetDouble(2)), ct);
        foreach (var (name, bucket, value) in rows)
        {
            if (!series.TryGetValue(name, out var values))
            {
                series[name] = values = new double?[days];
            }

            if (bucket >= 1 && bucket <= days)
            {
                values[bucket - 1] = value;
            }
        }

        return series.Select(kv => new DailySeries(kv.Key, kv.Value)).ToArray();
    }

    // Each section is one read: a transient error (the server restarting) repeats that read.
    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, string host, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<DateTimeOffset>? bounds, Func<NpgsqlDataReader, T> map, CancellationToken ct) =>
        _retry.RunAsync("reading the monthly report", _ => QueryOnceAsync(sql, host, from, to, bounds, map, ct), null, () =>
        {
            _dataSource.Clear();
            return Task.CompletedTask;
        }, ct);

    private async Task<IReadOnlyList<T>> QueryOnceAsync<T>(string sql, string host, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<DateTimeOffset>? bounds, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("host", host);
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.ToUniversalTime() });
        if (bounds is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter("bounds", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = bounds.Select(b => b.ToUniversalTime()).ToArray() });
        }

        var rows = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>The host's alert firings and resolutions as transitions; the caller adds the period to its WHERE.</summary>
    private static readonly string AlertTransitionRows =
        $"""
        select data->>'fingerprint' as fingerprint, data->>'alertName' as name,
               case when type = 'alert_fired' then (data->>'startsAt')::timestamptz else (data->>'endsAt')::timestamptz end as at,
               type = 'alert_fired' as firing, data->>'severity' as severity, seq_id
        from {S}.mt_events
        where type in ('alert_fired', 'alert_resolved') and data->>'host' = @host
        """;

    private static AlertTransition ReadTransition(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5));

    private static double? D(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
