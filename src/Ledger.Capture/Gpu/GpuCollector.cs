namespace Ledger.Capture.Gpu;

/// <summary>
/// Takes a reading of the machine's NVIDIA GPUs: through NVML when it loads (no process to start),
/// else through nvidia-smi on PATH. A machine without either is not an error: the result says so.
/// </summary>
public sealed class GpuCollector : IDisposable
{
    private readonly GpuCollectorOptions _options;
    private readonly Lock _gate = new();
    private NvmlGpuReader? _kept;

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
            var gpus = ReadNvml(out nvmlMissing, out nvmlFailure);
            if (gpus is { Count: > 0 })
            {
                return GpuReadout.From(GpuReadout.NvmlSource, gpus);
            }

            if (nvmlFailure is not null && _options.Source is GpuSource.Nvml)
            {
                throw nvmlFailure;
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

        var smi = _options.NvidiaSmiPath ?? ProgramLocator.Find(NvidiaSmiGpuReader.ProgramName, _options.Env("PATH") ?? "");
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

    /// <summary>Shuts down NVML when it was kept open.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _kept?.Dispose();
            _kept = null;
        }
    }

    // One reading through NVML: null with the reason when NVML is not there or sees no GPU, or with
    // the failure when it is there but could not read (nvidia-smi may still read what it could not).
    private IReadOnlyList<GpuReading>? ReadNvml(out string? missing, out CaptureException? failure)
    {
        missing = null;
        failure = null;
        lock (_gate)
        {
            var nvml = _kept ?? NvmlGpuReader.TryOpen(_options.NvmlLibraryPaths, out missing);
            if (nvml is null)
            {
                return null;
            }

            var keep = false;
            try
            {
                var gpus = nvml.Read();
                keep = _options.KeepNvmlOpen;
                if (gpus.Count == 0)
                {
                    missing = "NVML sees no GPU";
                }

                return gpus;
            }
            catch (CaptureException e)
            {
                failure = e;
                missing = e.Message;
                return null;
            }
            finally
            {
                if (keep)
                {
                    _kept = nvml;
                }
                else
                {
                    nvml.Dispose();
                    _kept = null;
                }
            }
        }
    }

    private bool NvmlDisabled() => _options.Env(GpuCollectorOptions.NvmlDisableVariable) is "1";
}
