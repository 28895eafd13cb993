namespace Ledger.Core.Alerts;

/// <summary>
/// One alert of an Alertmanager webhook notification, read and checked but not yet redacted or
/// assigned to a host. <see cref="EndsAt"/> is set for resolved alerts (Alertmanager sends the
/// zero time, or a time in the future, for firing ones; Ledger does not keep either).
/// </summary>
public sealed record AlertNotice(
    AlertState State,
    string AlertName,
    string Fingerprint,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string? GeneratorUrl);
