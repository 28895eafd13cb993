using Marten.Services;
using NpgsqlTypes;

namespace Ledger.Store;

// Backed-up file content: stored once per SHA-256 together with its event, and streamed back out.
public sealed partial class LedgerStore
{
    /// <summary>Whether content with this SHA-256 is stored.</summary>
    public Task<bool> BlobExistsAsync(string sha256, CancellationToken ct = default) =>
        RetryAsync("looking up stored content", async () =>
        {
            await using var conn = await OpenConnectionAsync(_dataSource, ct);
            await using var cmd = new NpgsqlCommand($"select 1 from {MartenConfig.Schema}.ledger_blobs where sha256 = $1", conn);
            cmd.Parameters.AddWithValue(sha256);
            return await cmd.ExecuteScalarAsync(ct) is not null;
        }, ct);

    /// <summary>
    /// Stores a file's content under its SHA-256 (once: the same content again is not stored twice)
    /// and starts the backup's stream with <paramref name="e"/>, in one transaction: either both are
    /// stored or neither, so a failure (a full disk on the database server included) leaves no
    /// content without its event. The bytes from <paramref name="openContent"/> are hashed again on
    /// the way in and everything is rolled back if they no longer match (the file changed
    /// meanwhile), so a hash never names other content. Returns the backup's sequence number, or
    /// null when its stream existed already.
    /// </summary>
    public Task<long?> RecordBackupAsync(NewEvent e, string sha256, long sizeBytes, Func<Stream> openContent, CancellationToken ct = default)
    {
        var id = Guid.CreateVersion7();
        return RetryAsync(
            "storing a backup",
            async attempt =>
            {
                if (attempt > 1 && await CommittedSeqAsync(e.StreamKey, id, ct) is { } committed)
                {
                    return committed;
                }

                await using var conn = await OpenConnectionAsync(_dataSource, ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var content = openContent())
                await using (var hashing = new HashingReadStream(content))
                await using (var cmd = new NpgsqlCommand(
                    $"insert into {MartenConfig.Schema}.ledger_blobs (sha256, size_bytes, content) values ($1, $2, $3) on conflict (sha256) do nothing",
                    conn,
                    tx))
                {
                    cmd.Parameters.AddWithValue(sha256);
                    cmd.Parameters.AddWithValue(sizeBytes);
                    cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = hashing, Size = checked((int)sizeBytes) });
                    await cmd.ExecuteNonQueryAsync(ct);
                    if (hashing.BytesRead != sizeBytes || !string.Equals(hashing.HashHex(), sha256, StringComparison.Ordinal))
                    {
                        await tx.RollbackAsync(ct);
                        throw new StoreException("The content changed while it was being stored (its hash no longer matches); nothing was stored. Run the command again.");
                    }
                }

                try
                {
                    await using var session = _store.Value.LightweightSession(SessionOptions.ForTransaction(tx));
                    var action = session.Events.StartStream(e.StreamKey, e.Event);
                    action.Events[0].Id = id;
                    SetTimestamps(action, e.OccurredAt);
                    await SaveAsync(session, ct);
                }
                catch (Exception ex) when (IsStreamCollision(ex))
                {
                    // Recorded meanwhile by another process: this content is stored under that event.
                    return (long?)null;
                }

                await tx.CommitAsync(ct);
                return await CommittedSeqAsync(e.StreamKey, id, ct);
            },
            ct);
    }

    /// <summary>Streams stored content into <paramref name="destination"/>; false when there is none under that hash.</summary>
    /// <remarks>Retried on transient errors only when <paramref name="destination"/> can be rewound and cut back.</remarks>
    public Task<bool> CopyBlobToAsync(string sha256, Stream destination, CancellationToken ct = default)
    {
        var start = destination.CanSeek ? destination.Position : -1;
        var retry = destination.CanSeek ? _retry : RetryPolicy.None;
        return retry.RunAsync(
            "reading stored content",
            async attempt =>
            {
                if (attempt > 1)
                {
                    destination.SetLength(start);
                    destination.Position = start;
                }

                return await CopyBlobOnceAsync(sha256, destination, ct);
            },
            null,
            () =>
            {
                _dataSource.Clear();
                return Task.CompletedTask;
            },
            ct);
    }

    private async Task<bool> CopyBlobOnceAsync(string sha256, Stream destination, CancellationToken ct)
    {
        await using var conn = await OpenConnectionAsync(_dataSource, ct);
        await using var cmd = new NpgsqlCommand($"select content from {MartenConfig.Schema}.ledger_blobs where sha256 = $1", conn);
        cmd.Parameters.AddWithValue(sha256);
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct))
        {
            return false;
        }

        await using var stream = await reader.GetStreamAsync(0, ct);
        await stream.CopyToAsync(destination, ct);
        return true;
    }
}
