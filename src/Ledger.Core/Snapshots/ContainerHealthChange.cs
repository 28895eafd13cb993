namespace Ledger.Core.Snapshots;

/// <summary>A container's health moved; null means it had (or has) no health check.</summary>
public sealed record ContainerHealthChange(string Name, string? From, string? To);
