using System.Globalization;
using System.Text;

namespace Ledger.Capture.Gpu;

/// <summary>
/// Reads GPUs through NVML, the library nvidia-smi itself uses, without starting a process.
/// Open once (<c>nvmlInit_v2</c>), read as often as needed, dispose (<c>nvmlShutdown</c>).
/// </summary>
internal sealed unsafe class NvmlGpuReader : IDisposable
{
    /// <summary>NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_DEVICE_UUID_V2_BUFFER_SIZE.</summary>
    private const int TextBufferSize = 96;

    private const int TemperatureSensorGpu = 0;
    private const double BytesPerMiB = 1024 * 1024;

    private readonly NvmlApi _api;
    private bool _disposed;

    private NvmlGpuReader(NvmlApi api)
    {
        _api = api;
    }

    public string LibraryPath => _api.LibraryPath;

    /// <summary>
    /// Loads NVML and initialises it. Null, with the reason in <paramref name="unavailable"/>, when NVML
    /// is not there to use: no library, a driver too old, or a driver that is not loaded.
    /// </summary>
    public static NvmlGpuReader? TryOpen(IReadOnlyList<string> libraryPaths, out string? unavailable)
    {
        var api = NvmlApi.TryLoad(libraryPaths, out unavailable);
        if (api is null)
        {
            return null;
        }

        var rc = api.Init();
        if (rc != NvmlReturn.Success)
        {
            unavailable = rc == NvmlReturn.DriverNotLoaded
                ? $"NVML found no loaded NVIDIA driver ({api.ErrorString(rc)})"
                : $"nvmlInit_v2 failed: {api.ErrorString(rc)}";
            api.Dispose();
            return null;
        }

        return new NvmlGpuReader(api);
    }

    /// <summary>Every GPU NVML sees, in NVML index order. A metric the GPU does not support is null.</summary>
    public IReadOnlyList<GpuReading> Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        uint count;
        Check(_api.GetCount(&count), "nvmlDeviceGetCount_v2", null);
        var readings = new GpuReading[count];
        for (uint i = 0; i < count; i++)
        {
            readings[i] = ReadDevice(i);
        }

        return readings;
    }

    /// <summary>A process's name from /proc/PID/comm (at most 15 characters); "[unknown]" when it is not visible here.</summary>
    public static string ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return "[unknown]";
        }
        catch (UnauthorizedAccessException)
        {
            return "[unknown]";
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _api.Shutdown();
        _api.Dispose();
    }

    private GpuReading ReadDevice(uint index)
    {
        IntPtr device;
        Check(_api.GetHandleByIndex(index, &device), "nvmlDeviceGetHandleByIndex_v2", index);

        var text = stackalloc byte[TextBufferSize];
        Check(_api.GetName(device, text, TextBufferSize), "nvmlDeviceGetName", index);
        var name = Utf8(text);
        Check(_api.GetUuid(device, text, TextBufferSize), "nvmlDeviceGetUUID", index);
        var uuid = Utf8(text);

        double? utilGpu = null, utilMemory = null;
        NvmlUtilization utilization;
        if (_api.GetUtilizationRates != null && Metric(_api.GetUtilizationRates(device, &utilization), "nvmlDeviceGetUtilizationRates", index))
        {
            utilGpu = utilization.Gpu;
            utilMemory = utilization.Memory;
        }

        var (usedMiB, totalMiB) = Memory(device, index);

        double? temperature = null;
        uint value, period;
        if (_api.GetTemperature != null && Metric(_api.GetTemperature(device, TemperatureSensorGpu, &value), "nvmlDeviceGetTemperature", index))
        {
            temperature = value;
        }

        double? power = null;
        if (_api.GetPowerUsage != null && Metric(_api.GetPowerUsage(device, &value), "nvmlDeviceGetPowerUsage", index))
        {
            power = value / 1000.0;
        }

        double? encoder = null, decoder = null;
        if (_api.GetEncoderUtilization != null && Metric(_api.GetEncoderUtilization(device, &value, &period), "nvmlDeviceGetEncoderUtilization", index))
        {
            encoder = value;
        }

        if (_api.GetDecoderUtilization != null && Metric(_api.GetDecoderUtilization(device, &value, &period), "nvmlDeviceGetDecoderUtilization", index))
        {
            decoder = value;
        }

        return new GpuReading(
            (int)index, name, uuid, utilGpu, utilMemory, usedMiB, totalMiB, temperature, power, encoder, decoder,
            Processes(device, index));
    }

    private (double? UsedMiB, double? TotalMiB) Memory(IntPtr device, uint index)
    {
        // v2 reports reserved memory apart from used, as nvidia-smi does; v1's used includes it.
        if (_api.GetMemoryInfoV2 != null)
        {
            var v2 = new NvmlMemoryV2 { Version = NvmlMemoryV2.StructVersion };
            var rc = _api.GetMemoryInfoV2(device, &v2);
            if (rc == NvmlReturn.Success)
            {
                return (v2.Used / BytesPerMiB, v2.Total / BytesPerMiB);
            }

            if (rc is not (NvmlReturn.ArgumentVersionMismatch or NvmlReturn.FunctionNotFound or NvmlReturn.NotSupported))
            {
                Check(rc, "nvmlDeviceGetMemoryInfo_v2", index);
            }
        }

        NvmlMemory v1;
        return _api.GetMemoryInfo != null && Metric(_api.GetMemoryInfo(device, &v1), "nvmlDeviceGetMemoryInfo", index)
            ? (v1.Used / BytesPerMiB, v1.Total / BytesPerMiB)
            : (null, null);
    }

    private GpuProcess[] Processes(IntPtr device, uint index)
    {
        if (_api.GetComputeRunningProcesses == null)
        {
            return [];
        }

        // Ask for the count first; processes may start between the calls, so grow and ask again.
        uint count = 0;
        var rc = _api.GetComputeRunningProcesses(device, &count, null);
        for (var attempt = 0; rc == NvmlReturn.InsufficientSize && attempt < 5; attempt++)
        {
            var infos = new NvmlProcessInfo[count + 8];
            count = (uint)infos.Length;
            fixed (NvmlProcessInfo* buffer = infos)
            {
                rc = _api.GetComputeRunningProcesses(device, &count, buffer);
            }

            if (rc == NvmlReturn.Success)
            {
                return infos.Take((int)count).Select(ToProcess).ToArray();
            }
        }

        // Success here means the first call found no process; not supported means we cannot list them.
        Metric(rc, _api.ProcessesFunction, index);
        return [];
    }

    private static GpuProcess ToProcess(NvmlProcessInfo info)
    {
        var pid = (int)info.Pid;
        double? memory = info.UsedGpuMemory == NvmlProcessInfo.ValueNotAvailable ? null : info.UsedGpuMemory / BytesPerMiB;
        return new GpuProcess(pid, ProcessName(pid), memory);
    }

    private static string Utf8(byte* text) => Encoding.UTF8.GetString(text, new ReadOnlySpan<byte>(text, TextBufferSize).IndexOf((byte)0) is var n and >= 0 ? n : TextBufferSize);

    /// <summary>True when the metric was read; false when the GPU does not support it (or may not tell us).</summary>
    private bool Metric(int rc, string function, uint index)
    {
        if (rc is NvmlReturn.NotSupported or NvmlReturn.NoPermission)
        {
            return false;
        }

        Check(rc, function, index);
        return true;
    }

    private void Check(int rc, string function, uint? index)
    {
        if (rc == NvmlReturn.Success)
        {
            return;
        }

        var gpu = index is null ? "" : $" for GPU {index}";
        var hint = rc == NvmlReturn.GpuIsLost
            ? " The GPU fell off the bus: check dmesg; it usually needs a reboot."
            : " Check that nvidia-smi works on this machine.";
        throw new CaptureException($"NVML {function} failed{gpu}: {_api.ErrorString(rc)}.{hint}");
    }
}
