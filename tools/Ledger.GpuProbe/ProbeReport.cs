namespace Ledger.GpuProbe;

/// <summary>The probe's whole output: both sources side by side, and what <c>GpuCollector</c> picked.</summary>
internal sealed record ProbeReport(
    string Host,
    DateTimeOffset At,
    int Runs,
    SourceProbe Nvml,
    SourceProbe NvidiaSmi,
    string? CollectorSource,
    string? CollectorUnavailable,
    string? CollectorError);
