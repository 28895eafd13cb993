namespace Ledger.Capture.Host;

/// <summary>A mount to watch and the admin's tier label for it ("hot", "cold", ...).</summary>
public sealed record MountSpec(string Path, string? Tier);
