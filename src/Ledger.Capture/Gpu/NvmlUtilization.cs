using System.Runtime.InteropServices;

namespace Ledger.Capture.Gpu;

/// <summary><c>nvmlUtilization_t</c>: percent of the last sample period the GPU / its memory was busy.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint Gpu;
    public uint Memory;
}
