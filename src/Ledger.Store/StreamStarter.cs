using NpgsqlTypes;

namespace Ledger.Store;

/// <summary>
/// Starts one stream with one event over a single connection: no Marten store, no data source
/// pool, no schema comparison. Short-lived processes (the git hook) would otherwise spend most of
/// their time constructing Marten's store. The rows are written by Marten's own
/// <c>mt_quick_append_events</c>, with the JSON options Marten is configured with
/// (<see cref="EventJson.Options"/>), so they are the rows <see cref="LedgerStore.TryStartStreamAsync"/> writes.
/// </summary>
public static class StreamStarter
{
    /// <summary>What <c>TryStartAsync</c> did.</summary>
    public enum Outcome
    {
        /// <summary>The stream was started; the event has a sequence number.</summary>
        Started,

        /// <summary>The stream existed already (recorded before): nothing was written.</summary>
        AlreadyExists,

        /// <summary>The schema is missing or of another version: open a <see cref="LedgerStore"/> instead, which creates or upgrades it.</summary>
        NeedsStore,
    }

    /// <summary>Starts <paramref name="e"/>'s stream with its event; the sequence number is set when started.</summary>
    public static Task<(Outcome Outcome, long Seq)> TryStartAsync(string connectionString, NewEvent e, CancellationToken ct = default) =>
        TryStartAsync(connectionString, e, RetryPolicy.None, ct);

    /// <summary>
    /// As above, retrying transient errors. A retry after a commit whose answer was lost finds the
    /// stream and says <see cref="Outcome.AlreadyExists"/>: the event is never written twice.
    /// </summary>
    public static Task<(Outcome Outcome, long Seq)> TryStartAsync(string connectionString, NewEvent e, RetryPolicy retry, CancellationToken ct = default) =>
        retry.RunAsync("recording the event", _ => AttemptAsync(connectionString, e, ct), null, null, ct);

    private static async Task<(Outcome Outcome, long Seq)> AttemptAsync(string connectionString, NewEvent e, CancellationToken ct)
    {
        var descriptor = EventCatalogue.Describe(e.Event.GetType());
        var type = e.Event.GetType();
        var body = e.Json;

        // The slim builder maps only what this statement needs; the full one costs tens of
        // milliseconds of set-up, which is much of a hook's budget.
        var builder = new NpgsqlSlimDataSourceBuilder(ConnectionStrings.WithDefaults(connectionString));
        builder.ConnectionStringBuilder.Pooling = false;

        // Every type here is built in (varchar, uuid, text, timestamptz, bigint[]): no round trip
        // to load the server's type catalogue, which costs a standalone hook some 30 ms.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        builder.EnableArrays();

        // TLS for a central server (SSL Mode=VerifyFull and the like, docs/operations.md "Fleet").
        builder.EnableTransportSecurity();
        await using var dataSource = builder.Build();
        await using var conn = await LedgerStore.OpenConnectionAsync(dataSource, ct);

        // One round trip: no row when the schema is of another version, an error when there is none.
        // Expected version 0: Marten's function raises MT003 when the stream exists, and a writer
        // that created it meanwhile makes the insert into mt_streams a unique violation.
        var s = MartenConfig.Schema;
        await using var cmd = new NpgsqlCommand(
            $"""
            select {s}.mt_quick_append_events($1, null, '*DEFAULT*', array[$2], array[$3]::varchar[], array[$4]::varchar[], array[$5::jsonb], array[null::bytea], array[$6], 0)
            where (select max(schema_version) from {s}.ledger_meta) = {MartenConfig.SchemaVersion}
            """,
            conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = e.StreamKey, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(), NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = descriptor.Alias, NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = LedgerStore.DotnetTypeName(type), NpgsqlDbType = NpgsqlDbType.Varchar });
        cmd.Parameters.Add(new NpgsqlParameter { Value = body, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (e.OccurredAt ?? DateTimeOffset.UtcNow).ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        try
        {
            // The function returns [stream version, seq of each event].
            return await cmd.ExecuteScalarAsync(ct) is long[] result
                ? (Outcome.Started, result[1])
                : (Outcome.NeedsStore, 0);
        }
        catch (PostgresException x) when (x.SqlState is "MT003" or PostgresErrorCodes.UniqueViolation)
        {
            return (Outcome.AlreadyExists, 0);
        }
        catch (PostgresException x) when (x.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.InvalidSchemaName)
        {
            return (Outcome.NeedsStore, 0);
        }
    }
}
