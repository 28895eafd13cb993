namespace Ledger.IntegrationTests.Gpu;

/// <summary>A fact about a machine without an NVIDIA driver; skipped on a GPU machine.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NoGpuFactAttribute : FactAttribute
{
    public NoGpuFactAttribute()
    {
        if (NvmlPresence.Available)
        {
            Skip = "this machine has an NVIDIA driver; the no-GPU behaviour is covered by the forced-absent specs";
        }
    }
}
