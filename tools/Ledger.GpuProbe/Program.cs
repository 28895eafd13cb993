using System.Globalization;
using System.Text.Json;
using Ledger.Capture;
using Ledger.Capture.Gpu;
using Ledger.GpuProbe;

// Reads the GPUs through NVML and through nvidia-smi, side by side, times each (median of --runs, default 20)
// and prints JSON. Always exits 0; what is missing is in the JSON. --nvml-library PATH tries that library
// instead of libnvidia-ml.so.1 and /run/opengl-driver/lib/libnvidia-ml.so.1. For a GPU machine without .NET:
//   dotnet publish tools/Ledger.GpuProbe -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -p:PublishTrimmed=true -o /tmp/gpuprobe
//   scp /tmp/gpuprobe/Ledger.GpuProbe gpu-host: && ssh gpu-host ./Ledger.GpuProbe
var runs = 20;
IReadOnlyList<string> nvmlLibraries = NvmlApi.DefaultLibraryPaths;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--runs" && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0)
    {
        runs = n;
    }
    else if (args[i] == "--nvml-library")
    {
        nvmlLibraries = [args[i + 1]];
    }
}

var nvml = Probe.Nvml(runs, nvmlLibraries);
var smi = await Probe.NvidiaSmi(runs);

string? collectorSource = null, collectorUnavailable = null, collectorError = null;
try
{
    var readout = await new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = nvmlLibraries }).CollectAsync();
    (collectorSource, collectorUnavailable) = (readout.Source, readout.Unavailable);
}
catch (CaptureException e)
{
    collectorError = e.Message;
}

var report = new ProbeReport(
    Environment.MachineName, DateTimeOffset.UtcNow, runs, nvml, smi, collectorSource, collectorUnavailable, collectorError);
Console.WriteLine(JsonSerializer.Serialize(report, ProbeJson.Default.ProbeReport));
return 0;
