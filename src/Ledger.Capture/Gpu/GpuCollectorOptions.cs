namespace Ledger.Capture.Gpu;

/// <summary>How <see cref="GpuCollector"/> looks for GPUs; the defaults suit a real machine.</summary>
public sealed record GpuCollectorOptions
{
    /// <summary>Set to 1 to skip NVML and use nvidia-smi (e.g. where the library misbehaves).</summary>
    public const string NvmlDisableVariable = "LEDGER_NVML_DISABLE";

    public GpuSource Source { get; init; } = GpuSource.Auto;

    /// <summary>The environment: PATH (to find nvidia-smi) and LEDGER_NVML_DISABLE are read from it.</summary>
    public Func<string, string?> Env { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Where libnvidia-ml.so.1 is looked for, in order.</summary>
    public IReadOnlyList<string> NvmlLibraryPaths { get; init; } = NvmlApi.DefaultLibraryPaths;

    /// <summary>The nvidia-smi to run; null looks it up on PATH (from <see cref="Env"/>).</summary>
    public string? NvidiaSmiPath { get; init; }

    /// <summary>
    /// Keep NVML loaded and initialised between readings (the daemon): a reading then costs
    /// microseconds instead of NVML's initialisation (about 25 ms on an H200). A failed reading
    /// drops it, and the next one initialises NVML again.
    /// </summary>
    public bool KeepNvmlOpen { get; init; }

    /// <summary>How long one nvidia-smi query may take before it is stopped.</summary>
    public TimeSpan NvidiaSmiTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
