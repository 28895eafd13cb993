using Ledger.Core.Events;

namespace Ledger.GpuProbe;

/// <summary>
/// One source's readings and timings. <see cref="Location"/> is the library or executable used;
/// <see cref="MedianMs"/> names what was timed ("read", "openReadClose").
/// </summary>
internal sealed record SourceProbe(
    string Source,
    bool Available,
    string? Unavailable,
    string? Location,
    string? Error,
    IReadOnlyList<GpuReading> Gpus,
    IReadOnlyDictionary<string, double> MedianMs);
