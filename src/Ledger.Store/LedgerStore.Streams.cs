namespace Ledger.Store;

// Stream lookups: which facts are recorded already.
public sealed partial class LedgerStore
{
    /// <summary>The stream keys that start with <paramref name="prefix"/>.</summary>
    public Task<HashSet<string>> StreamKeysAsync(string prefix, CancellationToken ct = default) => Appender.StreamKeysAsync(prefix, ct);

    /// <summary>Whether a stream exists.</summary>
    public Task<bool> StreamExistsAsync(string key, CancellationToken ct = default) =>
        RetryAsync("looking up a stream", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select 1 from {MartenConfig.Schema}.mt_streams where id = $1", conn);
            cmd.Parameters.AddWithValue(key);
            return await cmd.ExecuteScalarAsync(ct) is not null;
        }, ct);

    /// <summary>The sequence number of a stream's first event, or throws when the stream does not exist.</summary>
    public Task<long> FirstSeqOfStreamAsync(string key, CancellationToken ct = default) =>
        RetryAsync("looking up a stream", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select min(seq_id) from {MartenConfig.Schema}.mt_events where stream_id = $1", conn);
            cmd.Parameters.AddWithValue(key);
            return await cmd.ExecuteScalarAsync(ct) is long seq
                ? seq
                : throw new StoreException($"No events are recorded under '{key}'.");
        }, ct);

    internal static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
