using System.Diagnostics;
using Ledger.Capture;
using Ledger.Capture.Gpu;
using Ledger.Capture.Processes;
using Ledger.Core.Events;

namespace Ledger.GpuProbe;

/// <summary>Reads through each source <c>runs</c> times and keeps the last readings and the median times.</summary>
internal static class Probe
{
    public static SourceProbe Nvml(int runs, IReadOnlyList<string> libraryPaths)
    {
        const string source = GpuReadout.NvmlSource;
        var library = "";
        try
        {
            // Open + read + close is what one `ledger snapshot gpu` costs; read alone is a daemon's cost per tick.
            var cold = new List<double>();
            IReadOnlyList<GpuReading> gpus = [];
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                using var reader = NvmlGpuReader.TryOpen(libraryPaths, out var unavailable);
                if (reader is null)
                {
                    return new SourceProbe(source, false, unavailable, null, null, [], new Dictionary<string, double>());
                }

                library = reader.LibraryPath;
                gpus = reader.Read();
                reader.Dispose();
                cold.Add(watch.Elapsed.TotalMilliseconds);
            }

            var warm = new List<double>();
            using (var reader = NvmlGpuReader.TryOpen(libraryPaths, out var unavailable)
                ?? throw new CaptureException($"NVML opened {runs} times, then not: {unavailable}"))
            {
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    gpus = reader.Read();
                    warm.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            return new SourceProbe(source, true, null, library, null, gpus, new Dictionary<string, double>
            {
                ["openReadClose"] = Median(cold),
                ["read"] = Median(warm),
            });
        }
        catch (CaptureException e)
        {
            return new SourceProbe(source, true, null, library, e.Message, [], new Dictionary<string, double>());
        }
    }

    public static async Task<SourceProbe> NvidiaSmi(int runs)
    {
        const string source = GpuReadout.NvidiaSmiSource;
        var path = ProgramLocator.Find(NvidiaSmiGpuReader.ProgramName, Environment.GetEnvironmentVariable("PATH") ?? "");
        if (path is null)
        {
            return new SourceProbe(source, false, "no nvidia-smi on PATH", null, null, [], new Dictionary<string, double>());
        }

        try
        {
            var reader = new NvidiaSmiGpuReader(path, TimeSpan.FromSeconds(30));
            var times = new List<double>();
            IReadOnlyList<GpuReading> gpus = [];
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                gpus = await reader.ReadAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            return new SourceProbe(source, true, null, path, null, gpus, new Dictionary<string, double> { ["read"] = Median(times) });
        }
        catch (CaptureException e)
        {
            return new SourceProbe(source, true, null, path, e.Message, [], new Dictionary<string, double>());
        }
    }

    public static double Median(List<double> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        var median = values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        return Math.Round(median, 3);
    }
}
