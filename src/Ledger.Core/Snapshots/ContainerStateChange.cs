namespace Ledger.Core.Snapshots;

/// <summary>A container's state moved, e.g. "running" to "exited".</summary>
public sealed record ContainerStateChange(string Name, string From, string To);
