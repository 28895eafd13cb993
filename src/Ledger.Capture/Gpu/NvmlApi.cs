using System.Runtime.InteropServices;

namespace Ledger.Capture.Gpu;

/// <summary>
/// The NVML functions Ledger calls, bound at run time from <c>libnvidia-ml.so.1</c> (cdecl).
/// </summary>
/// <remarks>
/// Bound with <see cref="NativeLibrary"/> and function pointers rather than <c>[LibraryImport]</c>:
/// the library path is per instance (NixOS keeps the driver in /run/opengl-driver/lib, which dlopen
/// does not search, and tests point at a missing file), and a symbol an older driver lacks is a
/// null pointer to check instead of an <see cref="EntryPointNotFoundException"/> at the first call.
/// </remarks>
internal sealed unsafe class NvmlApi : IDisposable
{
    private readonly IntPtr _library;

    private NvmlApi(IntPtr library, string path)
    {
        _library = library;
        LibraryPath = path;
        Init = (delegate* unmanaged[Cdecl]<int>)Export("nvmlInit_v2");
        Shutdown = (delegate* unmanaged[Cdecl]<int>)Export("nvmlShutdown");
        ErrorStringFn = (delegate* unmanaged[Cdecl]<int, IntPtr>)Export("nvmlErrorString");
        GetCount = (delegate* unmanaged[Cdecl]<uint*, int>)Export("nvmlDeviceGetCount_v2");
        GetHandleByIndex = (delegate* unmanaged[Cdecl]<uint, IntPtr*, int>)Export("nvmlDeviceGetHandleByIndex_v2");
        GetName = (delegate* unmanaged[Cdecl]<IntPtr, byte*, uint, int>)Export("nvmlDeviceGetName");
        GetUuid = (delegate* unmanaged[Cdecl]<IntPtr, byte*, uint, int>)Export("nvmlDeviceGetUUID");
        GetUtilizationRates = (delegate* unmanaged[Cdecl]<IntPtr, NvmlUtilization*, int>)Export("nvmlDeviceGetUtilizationRates");
        GetMemoryInfo = (delegate* unmanaged[Cdecl]<IntPtr, NvmlMemory*, int>)Export("nvmlDeviceGetMemoryInfo");
        GetMemoryInfoV2 = (delegate* unmanaged[Cdecl]<IntPtr, NvmlMemoryV2*, int>)Export("nvmlDeviceGetMemoryInfo_v2");
        GetTemperature = (delegate* unmanaged[Cdecl]<IntPtr, int, uint*, int>)Export("nvmlDeviceGetTemperature");
        GetPowerUsage = (delegate* unmanaged[Cdecl]<IntPtr, uint*, int>)Export("nvmlDeviceGetPowerUsage");
        GetEncoderUtilization = (delegate* unmanaged[Cdecl]<IntPtr, uint*, uint*, int>)Export("nvmlDeviceGetEncoderUtilization");
        GetDecoderUtilization = (delegate* unmanaged[Cdecl]<IntPtr, uint*, uint*, int>)Export("nvmlDeviceGetDecoderUtilization");

        // _v3 and _v2 fill the same 24-byte nvmlProcessInfo_t; older drivers have only _v2.
        var processes = Export("nvmlDeviceGetComputeRunningProcesses_v3");
        ProcessesFunction = processes != IntPtr.Zero ? "nvmlDeviceGetComputeRunningProcesses_v3" : "nvmlDeviceGetComputeRunningProcesses_v2";
        GetComputeRunningProcesses = (delegate* unmanaged[Cdecl]<IntPtr, uint*, NvmlProcessInfo*, int>)
            (processes != IntPtr.Zero ? processes : Export("nvmlDeviceGetComputeRunningProcesses_v2"));
    }

    /// <summary>Where the NVML library is looked for, in order: the loader's search path, then NixOS's driver folder.</summary>
    public static IReadOnlyList<string> DefaultLibraryPaths { get; } = ["libnvidia-ml.so.1", "/run/opengl-driver/lib/libnvidia-ml.so.1"];

    public string LibraryPath { get; }

    public string ProcessesFunction { get; }

    public delegate* unmanaged[Cdecl]<int> Init { get; }

    public delegate* unmanaged[Cdecl]<int> Shutdown { get; }

    public delegate* unmanaged[Cdecl]<uint*, int> GetCount { get; }

    public delegate* unmanaged[Cdecl]<uint, IntPtr*, int> GetHandleByIndex { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, uint, int> GetName { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, byte*, uint, int> GetUuid { get; }

    // The metric functions below are null where the driver lacks them; the metric is then null.
    public delegate* unmanaged[Cdecl]<IntPtr, NvmlUtilization*, int> GetUtilizationRates { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, NvmlMemory*, int> GetMemoryInfo { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, NvmlMemoryV2*, int> GetMemoryInfoV2 { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, int, uint*, int> GetTemperature { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, uint*, int> GetPowerUsage { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, uint*, uint*, int> GetEncoderUtilization { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, uint*, uint*, int> GetDecoderUtilization { get; }

    public delegate* unmanaged[Cdecl]<IntPtr, uint*, NvmlProcessInfo*, int> GetComputeRunningProcesses { get; }

    private delegate* unmanaged[Cdecl]<int, IntPtr> ErrorStringFn { get; }

    /// <summary>
    /// Loads the first of <paramref name="libraryPaths"/> that the loader accepts and binds it; null
    /// with <paramref name="unavailable"/> saying why when none loads or it lacks a function Ledger needs.
    /// </summary>
    public static NvmlApi? TryLoad(IReadOnlyList<string> libraryPaths, out string? unavailable)
    {
        ArgumentNullException.ThrowIfNull(libraryPaths);
        foreach (var path in libraryPaths)
        {
            if (!NativeLibrary.TryLoad(path, out var library))
            {
                continue;
            }

            var api = new NvmlApi(library, path);
            var missing = api.MissingRequired();
            if (missing is not null)
            {
                api.Dispose();
                unavailable = $"{path} lacks {missing} (not NVML, or a driver too old)";
                return null;
            }

            unavailable = null;
            return api;
        }

        unavailable = "no libnvidia-ml.so.1";
        return null;
    }

    /// <summary>NVML's own text for a return code, with the code.</summary>
    public string ErrorString(int code)
    {
        var text = ErrorStringFn != null ? Marshal.PtrToStringUTF8(ErrorStringFn(code)) : null;
        return $"{text ?? "unknown error"} (NVML code {code})";
    }

    public void Dispose() => NativeLibrary.Free(_library);

    private string? MissingRequired()
    {
        if (Init == null)
        {
            return "nvmlInit_v2";
        }

        if (Shutdown == null)
        {
            return "nvmlShutdown";
        }

        if (GetCount == null)
        {
            return "nvmlDeviceGetCount_v2";
        }

        if (GetHandleByIndex == null)
        {
            return "nvmlDeviceGetHandleByIndex_v2";
        }

        if (GetName == null)
        {
            return "nvmlDeviceGetName";
        }

        return GetUuid == null ? "nvmlDeviceGetUUID" : null;
    }

    private IntPtr Export(string name) => NativeLibrary.TryGetExport(_library, name, out var address) ? address : IntPtr.Zero;
}
