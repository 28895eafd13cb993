using System.Text.Json.Serialization;

namespace Ledger.GpuProbe;

/// <summary>Source-generated JSON, so the trimmed single-file build needs no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProbeReport))]
internal sealed partial class ProbeJson : JsonSerializerContext;
