namespace Ledger.Capture.Gpu;

/// <summary>The <c>nvmlReturn_t</c> codes Ledger acts on (nvml.h).</summary>
internal static class NvmlReturn
{
    public const int Success = 0;
    public const int NotSupported = 3;
    public const int NoPermission = 4;
    public const int InsufficientSize = 7;
    public const int DriverNotLoaded = 9;
    public const int LibraryNotFound = 12;
    public const int FunctionNotFound = 13;
    public const int GpuIsLost = 15;
    public const int ArgumentVersionMismatch = 25;
}
