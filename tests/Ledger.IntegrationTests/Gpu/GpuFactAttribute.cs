namespace Ledger.IntegrationTests.Gpu;

/// <summary>A fact that needs a real NVIDIA GPU and driver; skipped, saying why, where NVML does not load.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!NvmlPresence.Available)
        {
            Skip = NvmlPresence.NoDriver;
        }
    }
}
