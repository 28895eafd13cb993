namespace Ledger.Capture.Gpu;

/// <summary>
/// Takes a reading of the machine's NVIDIA GPUs: through NVML when it loads (no process to start),
/// else through nvidia-smi on PATH. A machine without either is not an error: the result says so.
/// </summary>
public sealed class GpuCollector
{
    private readonly GpuCollectorOptions _options;

    public GpuCollector(GpuCollectorOptions? options = null)
    {
        _options = options ?? new GpuCollectorOptions();
    }

    /// <summary>
    /// Reads every GPU. Throws <see cref="CaptureException"/> when a GPU is there but cannot be read
    /// (nvidia-smi fails or hangs, NVML fails with no nvidia-smi to fall back on).
    /// </summary>
    public async Task<GpuReadout> CollectAsync(CancellationToken ct = default)
    {
        string? nvmlMissing = null;
        CaptureException? nvmlFailure = null;
        if (_options.Source is GpuSource.Nvml || (_options.Source is GpuSource.Auto && !NvmlDisabled()))
        {
            using var nvml = NvmlGpuReader.TryOpen(_options.NvmlLibraryPaths, out nvmlMissing);
            if (nvml is not null)
            {
                try
                {
                    var gpus = nvml.Read();
                    if (gpus.Count > 0)
                    {
                        return GpuReadout.From(GpuReadout.NvmlSource, gpus);
                    }

                    nvmlMissing = "NVML sees no GPU";
                }
                catch (CaptureException e) when (_options.Source is GpuSource.Auto)
                {
                    // nvidia-smi may still read what NVML through this process could not.
                    nvmlFailure = e;
                    nvmlMissing = e.Message;
                }
            }

            if (_options.Source is GpuSource.Nvml)
            {
                return GpuReadout.None($"NVML not available: {nvmlMissing}");
            }
        }
        else if (_options.Source is GpuSource.Auto)
        {
            nvmlMissing = $"NVML skipped by {GpuCollectorOptions.NvmlDisableVariable}=1";
        }

        var smi = _options.NvidiaSmiPath ?? ExecutableOnPath.Find(NvidiaSmiGpuReader.ProgramName, _options.Env("PATH"));
        if (smi is null)
        {
            if (nvmlFailure is not null)
            {
                throw nvmlFailure;
            }

            return GpuReadout.None(_options.Source is GpuSource.NvidiaSmi
                ? "nvidia-smi not available: no nvidia-smi on PATH"
                : $"no NVIDIA GPU found ({nvmlMissing} and no nvidia-smi on PATH)");
        }

        var readings = await new NvidiaSmiGpuReader(smi, _options.NvidiaSmiTimeout).ReadAsync(ct);
        return readings.Count > 0
            ? GpuReadout.From(GpuReadout.NvidiaSmiSource, readings)
            : GpuReadout.None($"no NVIDIA GPU found ({smi} says: No devices were found)");
    }

    private bool NvmlDisabled() => _options.Env(GpuCollectorOptions.NvmlDisableVariable) is "1";
}
