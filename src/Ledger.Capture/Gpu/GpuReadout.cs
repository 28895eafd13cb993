namespace Ledger.Capture.Gpu;

/// <summary>
/// What <see cref="GpuCollector"/> found: readings and the <see cref="Source"/> they came from
/// ("nvml" or "nvidia-smi"), or no readings and <see cref="Unavailable"/> saying why none could be taken.
/// </summary>
public sealed record GpuReadout(string? Source, IReadOnlyList<GpuReading> Gpus, string? Unavailable)
{
    public const string NvmlSource = "nvml";
    public const string NvidiaSmiSource = "nvidia-smi";

    public bool IsAvailable => Unavailable is null;

    public static GpuReadout From(string source, IReadOnlyList<GpuReading> gpus) => new(source, gpus, null);

    public static GpuReadout None(string why) => new(null, [], why);
}
