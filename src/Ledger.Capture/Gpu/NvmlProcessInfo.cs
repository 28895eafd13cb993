using System.Runtime.InteropServices;

namespace Ledger.Capture.Gpu;

/// <summary><c>nvmlProcessInfo_t</c> as the <c>_v2</c> and <c>_v3</c> process queries fill it (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessInfo
{
    /// <summary><c>NVML_VALUE_NOT_AVAILABLE</c>: the driver cannot say (e.g. under MIG without privileges).</summary>
    public const ulong ValueNotAvailable = ulong.MaxValue;

    public uint Pid;
    public ulong UsedGpuMemory;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}
