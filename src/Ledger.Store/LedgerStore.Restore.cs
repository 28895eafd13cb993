using Ledger.Core.Timeline;
using NpgsqlTypes;

namespace Ledger.Store;

// The queries restores and deploys ask: the latest event of a kind, the configuration in effect, generations.
public sealed partial class LedgerStore
{
    /// <summary>
    /// The newest event of a type on a host whose payload field <paramref name="field"/> equals
    /// <paramref name="value"/>, at or before <paramref name="atOrBefore"/> when given.
    /// </summary>
    public Task<TimelineEntry?> LatestAsync(Type eventType, string host, string field, string value, long? atOrBefore = null, CancellationToken ct = default) =>
        FirstEntryAsync(
            "reading the latest event",
            $"""
            select {EntryColumns} from {MartenConfig.Schema}.mt_events
            where type = @type and data->>'host' = @host and data->>@field = @value and (@at::bigint is null or seq_id <= @at)
            order by seq_id desc limit 1
            """,
            p =>
            {
                p.AddWithValue("type", EventCatalogue.Describe(eventType).Alias);
                p.AddWithValue("host", host);
                p.AddWithValue("field", field);
                p.AddWithValue("value", value);
                p.Add(new NpgsqlParameter("at", NpgsqlDbType.Bigint) { Value = (object?)atOrBefore ?? DBNull.Value });
            },
            ct);

    /// <summary>
    /// The event that put the configuration in effect on <paramref name="host"/> for
    /// <paramref name="repo"/> at <paramref name="atOrBefore"/>: the latest config edit, successful
    /// deploy or completed restore at or before it. Its commit is the restore target.
    /// </summary>
    public Task<TimelineEntry?> ConfigInEffectAsync(string host, string repo, long atOrBefore, CancellationToken ct = default) =>
        FirstEntryAsync(
            "reading the configuration in effect",
            $"""
            select {EntryColumns} from {MartenConfig.Schema}.mt_events
            where seq_id <= @at and data->>'host' = @host and data->>'repo' = @repo
              and (type = 'config_edited' or type = 'restore_completed' or (type = 'deploy_finished' and data->>'outcome' = 'succeeded'))
            order by seq_id desc limit 1
            """,
            p =>
            {
                p.AddWithValue("at", atOrBefore);
                p.AddWithValue("host", host);
                p.AddWithValue("repo", repo);
            },
            ct);

    /// <summary>The latest deploy of <paramref name="repo"/> on <paramref name="host"/> whose validations all passed.</summary>
    public Task<TimelineEntry?> LastValidatedDeployAsync(string host, string repo, CancellationToken ct = default) =>
        FirstEntryAsync(
            "reading the last validated deploy",
            $"""
            select {EntryColumns} from {MartenConfig.Schema}.mt_events
            where type = 'deploy_finished' and data->>'host' = @host and data->>'repo' = @repo and (data->>'validated')::boolean
            order by seq_id desc limit 1
            """,
            p =>
            {
                p.AddWithValue("host", host);
                p.AddWithValue("repo", repo);
            },
            ct);

    /// <summary>The NixOS generation a successful deploy of <paramref name="commit"/> produced, if one was recorded.</summary>
    public Task<int?> GenerationOfAsync(string host, string commit, CancellationToken ct = default) =>
        RetryAsync<int?>("reading a generation", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select (data->>'generation')::int from {MartenConfig.Schema}.mt_events
                where type in ('deploy_finished', 'restore_completed', 'generation_activated') and data->>'host' = @host
                  and (data->>'commit' = @commit or data->>'newCommit' = @commit or data->>'configurationRevision' = @commit) and data->>'generation' is not null
                  and coalesce(data->>'outcome', 'succeeded') = 'succeeded'
                order by seq_id desc limit 1
                """,
                conn);
            cmd.Parameters.AddWithValue("host", host);
            cmd.Parameters.AddWithValue("commit", commit);
            return await cmd.ExecuteScalarAsync(ct) is int g ? g : null;
        }, ct);

    /// <summary>
    /// The system generation Ledger last saw this host switch to (a deploy, a restore or an
    /// observed activation) and the sequence number of that event; nulls when none is recorded.
    /// </summary>
    public Task<(long? Seq, int? Generation)> LastGenerationAsync(string host, CancellationToken ct = default) =>
        RetryAsync<(long?, int?)>("reading the last generation", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand(
                $"""
                select seq_id, (data->>'generation')::int from {MartenConfig.Schema}.mt_events
                where type in ('deploy_finished', 'restore_completed', 'generation_activated') and data->>'host' = @host
                  and data->>'generation' is not null
                order by seq_id desc limit 1
                """,
                conn);
            cmd.Parameters.AddWithValue("host", host);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt32(1)) : (null, null);
        }, ct);
}
