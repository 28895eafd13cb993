using Ledger.Capture.Gpu;
using static Ledger.Bench.Workloads.Measure;

namespace Ledger.Bench.Workloads;

internal sealed partial class BenchRunner
{
    private async Task GpuAsync(CancellationToken ct)
    {
        using var cold = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.Nvml });
        var probe = await cold.CollectAsync(ct);
        var smi = ChildProcess.Find("nvidia-smi");
        if (!probe.IsAvailable || smi is null)
        {
            Row("GPU snapshot via NVML vs via nvidia-smi", "skipped", !probe.IsAvailable ? $"no NVML here ({probe.Unavailable})" : "no nvidia-smi on PATH", null, "NVML >= 10x faster (GPU machine only)", null);
            return;
        }

        // The daemon's way: NVML kept initialised between snapshots. Also shown: a one-off snapshot
        // (NVML loaded, initialised, read and shut down, as `ledger snapshot gpu` does). nvidia-smi is
        // started and parsed each time either way.
        using var warm = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.Nvml, KeepNvmlOpen = true });
        var viaDaemon = await MedianOfAsync(() => warm.CollectAsync(ct), runs: 50);
        var viaOneOff = await MedianOfAsync(() => cold.CollectAsync(ct), runs: 20);
        using var collector = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.NvidiaSmi });
        var viaSmi = await MedianOfAsync(() => collector.CollectAsync(ct), runs: 5);
        Row("GPU snapshot via NVML (daemon, NVML kept open) vs via nvidia-smi", Ms(viaDaemon), $"nvidia-smi: {Ms(viaSmi)}", viaSmi / viaDaemon, "NVML >= 10x faster", r => r >= 10);
        Row("GPU snapshot via NVML (one-off, NVML initialised each time) vs via nvidia-smi", Ms(viaOneOff), $"nvidia-smi: {Ms(viaSmi)}", viaSmi / viaOneOff, "(for information)", null);
    }
}
