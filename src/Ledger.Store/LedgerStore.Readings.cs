using Ledger.Core.Timeline;
using NpgsqlTypes;

namespace Ledger.Store;

// Readings around given times: what the host's state was just before and just after a change.
public sealed partial class LedgerStore
{
    /// <summary>
    /// For each time and each event type (aliases such as <c>container_snapshot_taken</c>), the
    /// host's last event of that type before the time and its first after it: a few index probes
    /// each, whatever the history's length, instead of reading every snapshot between. Each event
    /// once, in sequence order.
    /// </summary>
    public Task<IReadOnlyList<TimelineEntry>> AroundAsync(string host, IReadOnlyList<string> types, IReadOnlyList<DateTimeOffset> times, CancellationToken ct = default) =>
        RetryAsync<IReadOnlyList<TimelineEntry>>("reading the state around changes", async () =>
        {
            if (types.Count == 0 || times.Count == 0)
            {
                return [];
            }

            var s = MartenConfig.Schema;
            var probe = $"select {StoredEntryColumns} from {s}.mt_events x where x.type = y.type and x.data->>'host' = @host and {VisibleSql}";
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select distinct on (seq_id) {StoredEntryColumns} from (
                  select e.* from unnest(@times) as t(at) cross join unnest(@types) as y(type)
                  cross join lateral (
                    (({probe} and x.timestamp < t.at order by x.timestamp desc limit 1)
                     union all
                     ({probe} and x.timestamp >= t.at order by x.timestamp asc limit 1))
                  ) e
                ) around
                order by seq_id
                """,
                conn);
            cmd.Parameters.AddWithValue("host", host);
            cmd.Parameters.Add(new NpgsqlParameter("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = times.Select(t => t.ToUniversalTime()).Distinct().ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = types.ToArray() });
            var rows = new List<TimelineEntry>();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(ReadEntry(reader));
            }

            return rows;
        }, ct);
}
