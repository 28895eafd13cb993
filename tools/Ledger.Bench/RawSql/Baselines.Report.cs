using Npgsql;

namespace Ledger.Bench.RawSql;

internal sealed partial class Baselines
{
    /// <summary>
    /// The monthly report's numbers by plain SQL, one statement per section as a person at psql
    /// would write them: counts by type and outcome, checks, alerts, GPU and containers, storage.
    /// Returns the config edits of the period, to check against the store's count.
    /// </summary>
    public async Task<long> MonthlyReportAsync(string host, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        const string period = "from ledger.mt_events where data->>'host' = @h and timestamp >= @f and timestamp < @t";
        string[] sections =
        [
            $"select type, count(*), count(*) filter (where data->>'outcome' = 'succeeded') {period} group by type",
            $"select data->>'check', count(*), count(*) filter (where data->>'status' = 'pass'), count(*) filter (where data->>'status' = 'fail') {period} and type = 'validation_run' group by 1",
            $"select data->>'alertName', count(*) {period} and type in ('alert_fired', 'alert_resolved') group by 1, type",
            $"select g->>'uuid', avg((g->>'utilizationGpuPercent')::float8), max((g->>'temperatureC')::float8), max((g->>'memoryUsedMiB')::float8) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'gpus') g", StringComparison.Ordinal)} and type = 'gpu_snapshot_taken' group by 1",
            $"select c->>'name', count(*), max((c->>'restartCount')::int), count(*) filter (where c->>'health' = 'unhealthy') {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'containers') c", StringComparison.Ordinal)} and type = 'container_snapshot_taken' group by 1",
            $"select m->>'mount', max((m->>'usedBytes')::bigint), min((m->>'usedBytes')::bigint) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'mounts') m", StringComparison.Ordinal)} and type = 'storage_snapshot_taken' group by 1",
            // Unhealthy periods need each container's previous health; restarts count per container id.
            $"""
            select name, count(*), count(*) filter (where health = 'unhealthy' and prev is distinct from 'unhealthy'), max(restarts) - min(restarts), count(distinct id)
            from (select c->>'name' as name, c->>'id' as id, c->>'health' as health, (c->>'restartCount')::int as restarts,
                         lag(c->>'health') over (partition by c->>'name' order by seq_id) as prev
                  {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'containers') c", StringComparison.Ordinal)} and type = 'container_snapshot_taken') x
            group by name
            """,
            // Each change with the validation runs and deploys of its commit.
            $"""
            select e.data->>'sha', count(distinct v.seq_id), count(distinct v.seq_id) filter (where v.data->>'status' = 'pass'), count(distinct d.seq_id)
            from ledger.mt_events e
            left join ledger.mt_events v on v.type = 'validation_run' and v.data->>'host' = @h and v.data->>'configCommit' = e.data->>'sha'
            left join ledger.mt_events d on d.type = 'deploy_finished' and d.data->>'host' = @h and d.data->>'commit' = e.data->>'sha'
            where e.type = 'config_edited' and e.data->>'host' = @h and e.timestamp >= @f and e.timestamp < @t
            group by 1
            """,
            // The daily series of the charts: GPU utilisation, storage peaks, changes and alerts.
            $"select date_trunc('day', timestamp), avg((g->>'utilizationGpuPercent')::float8) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'gpus') g", StringComparison.Ordinal)} and type = 'gpu_snapshot_taken' group by 1",
            $"select m->>'mount', date_trunc('day', timestamp), max((m->>'usedBytes')::float8) {period.Replace("from ledger.mt_events", "from ledger.mt_events, jsonb_array_elements(data->'mounts') m", StringComparison.Ordinal)} and type = 'storage_snapshot_taken' group by 1, 2",
            $"select type, date_trunc('day', timestamp), count(*) {period} and type in ('config_edited', 'alert_fired') group by 1, 2",
        ];
        long edits = 0;
        foreach (var sql in sections)
        {
            await using var cmd = new NpgsqlCommand(sql, _conn);
            cmd.Parameters.AddWithValue("h", host);
            cmd.Parameters.AddWithValue("f", from);
            cmd.Parameters.AddWithValue("t", to);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (sql == sections[0] && reader.GetString(0) == "config_edited")
                {
                    edits = reader.GetInt64(1);
                }
            }
        }

        return edits;
    }
}
