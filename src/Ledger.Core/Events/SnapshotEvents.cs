namespace Ledger.Core.Events;

/// <summary>One GPU as NVML or nvidia-smi reported it. Null means "not supported / not available".</summary>
public sealed record GpuReading(
    int Index,
    string Name,
    string Uuid,
    double? UtilizationGpuPercent,
    double? UtilizationMemoryPercent,
    double? MemoryUsedMiB,
    double? MemoryTotalMiB,
    double? TemperatureC,
    double? PowerWatts,
    double? EncoderPercent,
    double? DecoderPercent,
    IReadOnlyList<GpuProcess> Processes);

public sealed record GpuProcess(int Pid, string Name, double? MemoryUsedMiB);

/// <summary>GPU state at a moment; <see cref="Source"/> is "nvml" or "nvidia-smi".</summary>
public sealed record GpuSnapshotTaken(
    string Host,
    string Actor,
    string Source,
    IReadOnlyList<GpuReading> Gpus) : ILedgerEvent;

public sealed record ContainerState(
    string Id,
    string Name,
    string Image,
    string State,
    string? Health,
    int RestartCount,
    DateTimeOffset? StartedAt,
    IReadOnlyList<string> Ports);

/// <summary>Containers as podman listed them (running and stopped).</summary>
public sealed record ContainerSnapshotTaken(
    string Host,
    string Actor,
    string Runtime,
    IReadOnlyList<ContainerState> Containers) : ILedgerEvent;

/// <summary>One mount's usage; <see cref="Tier"/> is the admin's label ("hot", "cold", ...).</summary>
public sealed record MountUsage(
    string Mount,
    string? Tier,
    long TotalBytes,
    long UsedBytes,
    long AvailableBytes);

public sealed record StorageSnapshotTaken(
    string Host,
    string Actor,
    IReadOnlyList<MountUsage> Mounts) : ILedgerEvent;

/// <summary>Whole-system facts: kernel, uptime, load, memory, and the NixOS generation.</summary>
public sealed record SystemSnapshotTaken(
    string Host,
    string Actor,
    string Kernel,
    long UptimeSeconds,
    double Load1,
    double Load5,
    double Load15,
    long MemoryTotalBytes,
    long MemoryAvailableBytes,
    int? Generation,
    string? NixosVersion) : ILedgerEvent;
