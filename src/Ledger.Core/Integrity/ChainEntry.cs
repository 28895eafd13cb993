namespace Ledger.Core.Integrity;

/// <summary>
/// The fields of one stored event that the hash chain covers, as PostgreSQL returns them:
/// <paramref name="Data"/> is the jsonb payload's text (<c>data::text</c>) and
/// <paramref name="Host"/> is <c>data->>'host'</c>, empty when the payload has none.
/// </summary>
public sealed record ChainEntry(long Seq, string Stream, long Version, string Type, DateTimeOffset Timestamp, string Host, string Data);
