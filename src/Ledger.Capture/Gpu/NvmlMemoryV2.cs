using System.Runtime.InteropServices;

namespace Ledger.Capture.Gpu;

/// <summary>
/// <c>nvmlMemory_v2_t</c> (bytes): reserved memory apart from used, as nvidia-smi reports it.
/// <see cref="Version"/> must be set to <see cref="StructVersion"/> before the call.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemoryV2
{
    public uint Version;
    public ulong Total;
    public ulong Reserved;
    public ulong Free;
    public ulong Used;

    /// <summary><c>NVML_STRUCT_VERSION(Memory, 2)</c>: the struct size with the version in the top byte.</summary>
    public static unsafe uint StructVersion => (uint)sizeof(NvmlMemoryV2) | (2u << 24);
}
