namespace Ledger.Capture.Gpu;

/// <summary>Where <see cref="GpuCollector"/> reads GPUs from.</summary>
public enum GpuSource
{
    /// <summary>NVML when it loads, else nvidia-smi when it is on PATH.</summary>
    Auto,

    /// <summary>Only NVML (libnvidia-ml.so.1).</summary>
    Nvml,

    /// <summary>Only nvidia-smi.</summary>
    NvidiaSmi,
}
