namespace Ledger.App.Deploy;

/// <summary>The choices of one deploy.</summary>
internal sealed record DeployRequest(string Message, string Action, string? Flake, bool AutoRollback, bool Validate);
