namespace Ledger.Store.Fleet;

/// <summary>What <c>ledger fleet add-host</c> made: the host's role and the connection string it records with.</summary>
public sealed record HostCredentials(string Host, string Role, string ConnectionString);
