using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Ledger.Store.Projections;

/// <summary>
/// Builds <see cref="ChangeRecord"/>s in the database: one query joins every commit of a host with
/// its annotations (same stream), validation runs (by <c>configCommit</c>), deploys (by commit) and
/// restores (by target or new commit), each grouped per commit by PostgreSQL, and streams the rows
/// in commit-time order. Nothing is cached: the records always reflect every event, with no daemon
/// to catch up and no rebuild after an upgrade. Patches are left in the database.
/// </summary>
public sealed class ChangeRecords
{
    private readonly NpgsqlDataSource _dataSource;

    internal ChangeRecords(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    /// <summary>The changes of <paramref name="host"/>, oldest first, optionally only those in [from, to).</summary>
    public async IAsyncEnumerable<ChangeRecord> ReadAsync(string host, DateTimeOffset? from = null, DateTimeOffset? to = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var s = MartenConfig.Schema;
        var sql = $"""
            with c as (
              select e.seq_id, e.stream_id, e.timestamp,
                     (e.data || coalesce((select d.data - 'host' - 'actor' - 'targetSeq' - 'repo' - 'sha' from {s}.mt_events d
                                          where d.stream_id = e.stream_id and d.type = 'change_derived' order by d.seq_id desc limit 1), jsonb_build_object())) - 'files' as head,
                     (select coalesce(jsonb_agg(f - 'patch' order by n), '[]'::jsonb)
                        from jsonb_array_elements(e.data->'files') with ordinality as x(f, n)) as files
              from {s}.mt_events e
              where e.type = 'config_edited' and e.data->>'host' = @host
                and (@from::timestamptz is null or e.timestamp >= @from)
                and (@to::timestamptz is null or e.timestamp < @to)
            ),
            ann as (
              select a.stream_id, jsonb_agg(jsonb_build_object('seq', a.seq_id, 'at', a.timestamp, 'actor', a.data->>'actor',
                       'purpose', a.data->'purpose', 'notes', a.data->'notes', 'validation', a.data->'validation') order by a.seq_id) as rows
              from {s}.mt_events a
              where a.type = 'change_annotated' and a.stream_id in (select stream_id from c)
              group by a.stream_id
            ),
            runs as (
              select v.data->>'configCommit' as sha, coalesce(v.data->>'runId', 'seq-' || v.seq_id) as run_id,
                     min(v.seq_id) as first_seq, min(v.timestamp) as at, count(*) as checks,
                     count(*) filter (where v.data->>'status' = 'pass') as passed,
                     coalesce(jsonb_agg(v.data->>'check' order by v.seq_id) filter (where v.data->>'status' <> 'pass'), '[]'::jsonb) as failed
              from {s}.mt_events v
              where v.type = 'validation_run' and v.data->>'host' = @host and v.data->>'configCommit' in (select head->>'sha' from c)
              group by 1, 2
            ),
            val as (
              select sha, jsonb_agg(jsonb_build_object('runId', run_id, 'firstSeq', first_seq, 'at', at, 'checks', checks,
                       'passed', passed, 'failed', failed) order by first_seq) as rows
              from runs group by sha
            ),
            dep as (
              select d.data->>'commit' as sha,
                     jsonb_agg(jsonb_build_object('deployId', d.data->>'deployId', 'seq', d.seq_id, 'at', d.timestamp, 'action', d.data->>'action',
                       'outcome', d.data->'outcome', 'validated', coalesce((d.data->>'validated')::boolean, false), 'generation', d.data->'generation')
                       order by d.seq_id) as rows
              from {s}.mt_events d
              where d.type = 'deploy_finished' and d.data->>'host' = @host and d.data->>'commit' in (select head->>'sha' from c)
              group by 1
            ),
            res as (
              select r.sha, jsonb_agg(jsonb_build_object('restoreId', r.restore_id, 'seq', r.seq_id, 'at', r.timestamp, 'role', r.role,
                       'targetSeq', r.target_seq, 'automatic', r.automatic, 'result', r.result) order by r.seq_id) as rows
              from (
                select st.data->>'targetCommit' as sha, st.data->>'restoreId' as restore_id, st.seq_id, st.timestamp, 'target' as role,
                       (st.data->>'targetSeq')::bigint as target_seq, coalesce((st.data->>'automatic')::boolean, false) as automatic,
                       (select case when e.type = 'restore_completed' then 'completed' else 'failed' end
                          from {s}.mt_events e where e.stream_id = st.stream_id and e.type in ('restore_completed', 'restore_failed')
                          order by e.seq_id desc limit 1) as result
                from {s}.mt_events st
                where st.type = 'restore_started' and st.data->>'host' = @host
                union all
                select rc.data->>'newCommit', rc.data->>'restoreId', rc.seq_id, rc.timestamp, 'made',
                       (rc.data->>'targetSeq')::bigint, coalesce((st.data->>'automatic')::boolean, false), 'completed'
                from {s}.mt_events rc
                left join {s}.mt_events st on st.stream_id = rc.stream_id and st.type = 'restore_started'
                where rc.type = 'restore_completed' and rc.data->>'host' = @host
              ) r
              group by r.sha
            )
            select c.seq_id, c.stream_id, c.timestamp, c.head::text, c.files::text,
                   (select min(p.seq_id) from {s}.mt_events p
                     where p.type = 'config_edited'
                       and p.stream_id = 'commit:' || (c.head->>'host') || ':' || (c.head->>'repo') || ':' || (c.head->'parents'->>0)) as parent_seq,
                   ann.rows::text, val.rows::text, dep.rows::text, res.rows::text
            from c
            left join ann on ann.stream_id = c.stream_id
            left join val on val.sha = c.head->>'sha'
            left join dep on dep.sha = c.head->>'sha'
            left join res on res.sha = c.head->>'sha'
            order by c.timestamp, c.seq_id
            """;

        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("host", host);
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)from?.ToUniversalTime() ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)to?.ToUniversalTime() ?? DBNull.Value });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var head = JsonSerializer.Deserialize<ConfigEdited>(reader.GetString(3), EventJson.Options)!;
            var files = JsonSerializer.Deserialize<List<FileChange>>(reader.GetString(4), EventJson.Options)!;
            yield return new ChangeRecord(
                reader.GetString(1),
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(2),
                head with { Files = files },
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                Rows<AnnotationRow>(reader, 6),
                Rows<ValidationRunRow>(reader, 7),
                Rows<DeployRow>(reader, 8),
                Rows<RestoreRow>(reader, 9));
        }
    }

    private static List<T> Rows<T>(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? [] : JsonSerializer.Deserialize<List<T>>(reader.GetString(column), EventJson.Options)!;
}
