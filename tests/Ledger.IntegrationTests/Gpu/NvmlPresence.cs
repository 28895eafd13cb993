using Ledger.Capture.Gpu;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>Whether NVML loads and initialises on this machine (checked once per test run).</summary>
public static class NvmlPresence
{
    public const string NoDriver = "needs a real NVIDIA GPU and driver (libnvidia-ml.so.1 loads and initialises); the same bindings run against a compiled stand-in in NvmlBindingSpecs, and these run on the GPU machine";

    private static readonly Lazy<bool> Loads = new(() =>
    {
        using var reader = NvmlGpuReader.TryOpen(NvmlApi.DefaultLibraryPaths, out _);
        return reader is not null;
    });

    public static bool Available => Loads.Value;
}
