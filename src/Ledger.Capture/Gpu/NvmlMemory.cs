using System.Runtime.InteropServices;

namespace Ledger.Capture.Gpu;

/// <summary><c>nvmlMemory_t</c> (bytes); its <c>Used</c> counts memory the driver reserves.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}
