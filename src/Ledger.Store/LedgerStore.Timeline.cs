using System.Text;
using System.Text.Json;
using Ledger.Core.Timeline;
using NpgsqlTypes;

namespace Ledger.Store;

// Timeline reads: keyset pages of mt_events, newest first, with the free-text search's recent window.
public sealed partial class LedgerStore
{
    /// <summary>One page of the timeline, newest first.</summary>
    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(TimelineQuery query, CancellationToken ct = default) =>
        RetryAsync<IReadOnlyList<TimelineEntry>>("reading the timeline", async () =>
        {
            if (string.IsNullOrEmpty(query.Grep) || query.AfterSeq is not null || query.FromOldest || query.Limit is not { } limit)
            {
                return await PageAsync(query, null, ct);
            }

            await CatchUpTextIndexIfBehindAsync(ct);

            // Free text, newest first: the planner takes the trigram index, fetches every match
            // and sorts them, which for a common word is tens of thousands of payloads. The newest
            // window is read by walking the primary key instead (it stops at a page of matches);
            // only when that window holds too few does the rest go to the planner (and the index).
            var top = query.BeforeSeq ?? (await Stats.MaxSeqAsync(ct) + 1);
            if (top <= 2 * TextSearchWindow)
            {
                // The window would be most of what there is, and so would hold few enough matches
                // that the index is the better way through it (3 ms against 23 ms at 20,000 events).
                return await PageAsync(query, null, ct);
            }

            var floor = top - TextSearchWindow;

            var recent = await PageAsync(query with { BeforeSeq = top }, floor, ct);
            if (recent.Count >= limit)
            {
                return recent;
            }

            var older = await PageAsync(query with { BeforeSeq = floor + 1, Limit = limit - recent.Count }, null, ct);
            return [.. recent, .. older];
        }, ct);

    /// <summary>How many of the newest events a free-text page reads by sequence number before it asks the index.</summary>
    internal long TextSearchWindow { get; set; } = 20_000;

    /// <summary>One query of the timeline; <paramref name="floor"/> (exclusive) bounds it below by sequence number.</summary>
    private async Task<IReadOnlyList<TimelineEntry>> PageAsync(TimelineQuery query, long? floor, CancellationToken ct)
    {
        var sql = new StringBuilder($"select {EntryColumns} from {MartenConfig.Schema}.mt_events where {VisibleSql}");
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand { Connection = conn };

        if (floor is { } f)
        {
            sql.Append(" and seq_id > @floor");
            cmd.Parameters.AddWithValue("floor", f);
        }

        if (query.BeforeSeq is { } before)
        {
            sql.Append(" and seq_id < @before");
            cmd.Parameters.AddWithValue("before", before);
        }

        if (query.AfterSeq is { } after)
        {
            sql.Append(" and seq_id > @after");
            cmd.Parameters.AddWithValue("after", after);
        }

        if (query.Host is { } host)
        {
            sql.Append(" and data->>'host' = @host");
            cmd.Parameters.AddWithValue("host", host);
        }

        if (query.Affects is { } affected)
        {
            // A config edit with a host layout names the hosts it touches. A shared one touches every
            // host of its repository: those its other commits name (or the host that records it).
            // Anything else belongs to the host that recorded it.
            var merged = MergedDataSql;
            sql.Append($" and (case when type = 'config_edited' and {merged} ? 'hosts' then {merged}->'hosts' ? @affects or ({merged}->>'shared' = 'true' and (data->>'host' = @affects")
                .Append(" or (data->>'host', data->>'repo') in (select o.data->>'host', o.data->>'repo' from ").Append(MartenConfig.Schema)
                .Append(".mt_events o where o.type in ('config_edited', 'change_derived') and o.data->'hosts' ? @affects))) else data->>'host' = @affects end)");
            cmd.Parameters.AddWithValue("affects", affected);
        }

        if (query.Kinds.Count > 0)
        {
            var aliases = query.Kinds.SelectMany(EventCatalogue.AliasesOfKind).Distinct().ToArray();
            sql.Append(" and type = any(@types)");
            cmd.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = aliases });
        }

        if (query.Types.Count > 0)
        {
            sql.Append(" and type = any(@exact)");
            cmd.Parameters.Add(new NpgsqlParameter("exact", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = query.Types.ToArray() });
        }

        if (query.Since is { } since)
        {
            sql.Append(" and timestamp >= @since");
            cmd.Parameters.AddWithValue("since", since.ToUniversalTime());
        }

        if (query.Until is { } until)
        {
            sql.Append(" and timestamp <= @until");
            cmd.Parameters.AddWithValue("until", until.ToUniversalTime());
        }

        if (!string.IsNullOrEmpty(query.Grep))
        {
            // Case-insensitive literal substring of the text the event shows (message, purpose,
            // paths, patch lines: its payload's strings and numbers, unescaped; TextIndex.BodyFormat).
            // Snapshots (nine in ten events, and every container snapshot names every container)
            // are searched only when a snapshot kind is asked for; the rest has a trigram index.
            var searchesSnapshots = query.Kinds.Any(k => EventCatalogue.AliasesOfKind(k).Any(SnapshotTypes.Contains));
            if (!searchesSnapshots)
            {
                sql.Append($" and type not in ({SnapshotTypesSql})");
            }

            // The recent window walks the primary key and tests each event, its indexed text looked
            // up by key (the planner, which underestimates common words, would fetch every match
            // through the trigram index: 110 ms for a page at 1M events against 10 ms); snapshots
            // have no text index and are tested directly; the rest asks the trigram index.
            sql.Append(" and ").Append(
                searchesSnapshots ? TextIndex.DirectMatchSql(MartenConfig.Schema)
                : floor is null ? TextIndex.MatchSql(MartenConfig.Schema, SnapshotTypesSql)
                : TextIndex.WindowMatchSql(MartenConfig.Schema));
            cmd.Parameters.AddWithValue("grep", TextIndex.Pattern(query.Grep));
        }

        // Upwards pages walk the index from the bottom, then turn round: every page reads newest first.
        var upwards = query.AfterSeq is not null || query.FromOldest;
        sql.Append(upwards ? " order by seq_id asc" : " order by seq_id desc");
        if (query.Limit is { } limit)
        {
            sql.Append(" limit @limit");
            cmd.Parameters.AddWithValue("limit", limit);
        }

        cmd.CommandText = sql.ToString();
        var rows = new List<TimelineEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(ReadEntry(reader));
        }

        if (upwards)
        {
            rows.Reverse();
        }

        return rows;
    }

    /// <summary>One event by sequence number, or null.</summary>
    public Task<TimelineEntry?> GetAsync(long seq, CancellationToken ct = default) =>
        FirstEntryAsync("reading an event", $"select {EntryColumns} from {MartenConfig.Schema}.mt_events where seq_id = $1", p => p.AddWithValue(seq), ct);

    /// <summary>The first event a query selects (<see cref="EntryColumns"/> first), or null.</summary>
    private Task<TimelineEntry?> FirstEntryAsync(string what, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken ct) =>
        RetryAsync(what, async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(sql, conn);
            bind(cmd.Parameters);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
        }, ct);

    /// <summary>
    /// A config edit's payload with the latest <c>change_derived</c> of its stream merged in (facts a
    /// later Ledger derived from the commit: the stored event is never edited); any other event's
    /// payload as stored. For queries over <c>mt_events</c> without an alias.
    /// </summary>
    /// <remarks>
    /// The uncorrelated <c>exists</c> runs once per query (an InitPlan, one probe of the type index):
    /// where nothing was ever re-derived, rows cost nothing more than the stored payload.
    /// </remarks>
    internal static readonly string MergedDataSql =
        $"(case when mt_events.type = 'config_edited' and (select exists (select 1 from {MartenConfig.Schema}.mt_events x where x.type = 'change_derived')) " +
        $"then mt_events.data || coalesce((select d.data - 'host' - 'actor' - 'targetSeq' - 'repo' - 'sha' from {MartenConfig.Schema}.mt_events d " +
        "where d.stream_id = mt_events.stream_id and d.type = 'change_derived' order by d.seq_id desc limit 1), '{}'::jsonb) else mt_events.data end)";

    /// <summary>The columns <see cref="ReadEntry"/> reads, in its order, from <c>mt_events</c> without an alias (derived facts merged, <see cref="MergedDataSql"/>).</summary>
    internal static readonly string EntryColumns = "seq_id, timestamp, type, stream_id, " + MergedDataSql;

    /// <summary>The same columns as stored, for queries over readings (snapshots, check runs), which have nothing derived.</summary>
    internal const string StoredEntryColumns = "seq_id, timestamp, type, stream_id, data";

    internal static TimelineEntry ReadEntry(NpgsqlDataReader reader)
    {
        var seq = reader.GetInt64(0);
        var timestamp = reader.GetFieldValue<DateTimeOffset>(1);
        var alias = reader.GetString(2);
        var stream = reader.GetString(3);
        // The payload as the UTF-8 bytes PostgreSQL sends: no UTF-16 string in between.
        var json = reader.GetFieldValue<byte[]>(4);
        var descriptor = EventCatalogue.FindAlias(alias);
        if (descriptor is null)
        {
            // An event type this build does not know (written by a newer Ledger): show it raw.
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement.Clone();
            return new TimelineEntry(seq, timestamp, Str(root, "host"), Str(root, "actor"), alias, alias, alias, stream, root);
        }

        if (EventLine.TryRead(alias, json, out var host, out var actor, out var title))
        {
            // A page shows the line only (snapshots, config edits): the event is decoded when the row is opened.
            return new TimelineEntry(seq, timestamp, host, actor, descriptor.Kind, alias, title, stream, () => JsonSerializer.Deserialize(json, descriptor.Type, EventJson.Options)!);
        }

        var e = (ILedgerEvent)JsonSerializer.Deserialize(json, descriptor.Type, EventJson.Options)!;
        return new TimelineEntry(seq, timestamp, e.Host, e.Actor, descriptor.Kind, alias, EventCatalogue.Title(e), stream, e);

        static string Str(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
    }
}
