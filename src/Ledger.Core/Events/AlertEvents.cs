namespace Ledger.Core.Events;

/// <summary>Alertmanager reported an alert firing (webhook payload version 4).</summary>
public sealed record AlertFired(
    string Host,
    string Actor,
    string AlertName,
    string Fingerprint,
    DateTimeOffset StartsAt,
    string? Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string? GeneratorUrl) : ILedgerEvent;

/// <summary>Alertmanager reported an alert resolved.</summary>
public sealed record AlertResolved(
    string Host,
    string Actor,
    string AlertName,
    string Fingerprint,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations) : ILedgerEvent;
