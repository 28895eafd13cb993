using System.Diagnostics;
using System.Runtime.InteropServices;
using Ledger.Capture.Gpu;
using Ledger.Capture.Processes;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>NVML on a real GPU (skipped without a driver), and the parts that need none.</summary>
public sealed class NvmlGpuReaderSpecs
{
    [Fact]
    public void Native_structs_have_the_sizes_of_nvml_h()
    {
        // nvmlProcessInfo_t: uint pid, 4 bytes padding, ulong usedGpuMemory, uint gpuInstanceId, uint computeInstanceId.
        Marshal.SizeOf<NvmlProcessInfo>().ShouldBe(24);
        Marshal.OffsetOf<NvmlProcessInfo>(nameof(NvmlProcessInfo.UsedGpuMemory)).ShouldBe(8);
        Marshal.SizeOf<NvmlMemoryV2>().ShouldBe(40);
        Marshal.SizeOf<NvmlMemory>().ShouldBe(24);
        Marshal.SizeOf<NvmlUtilization>().ShouldBe(8);

        // NVML_STRUCT_VERSION(Memory, 2) = sizeof(nvmlMemory_v2_t) | 2 << 24.
        NvmlMemoryV2.StructVersion.ShouldBe(0x02000028u);
    }

    [Fact]
    public void A_missing_library_is_unavailable_not_an_exception()
    {
        using var reader = NvmlGpuReader.TryOpen(["/nonexistent/libnvidia-ml.so.1"], out var unavailable);

        reader.ShouldBeNull();
        unavailable.ShouldBe("no libnvidia-ml.so.1");
    }

    [Fact]
    public void Process_names_come_from_proc()
    {
        NvmlGpuReader.ProcessName(Environment.ProcessId).ShouldBe(Process.GetCurrentProcess().ProcessName);
        NvmlGpuReader.ProcessName(int.MaxValue).ShouldBe("[unknown]");
    }

    [GpuFact]
    public void NVML_reads_every_GPU_with_plausible_values()
    {
        using var reader = NvmlGpuReader.TryOpen(NvmlApi.DefaultLibraryPaths, out var unavailable);
        reader.ShouldNotBeNull(unavailable);

        var gpus = reader.Read();

        gpus.ShouldNotBeEmpty();
        for (var i = 0; i < gpus.Count; i++)
        {
            gpus[i].Index.ShouldBe(i);
            gpus[i].Name.ShouldNotBeNullOrWhiteSpace();
            gpus[i].Uuid.ShouldStartWith("GPU-");
            gpus[i].MemoryTotalMiB.ShouldNotBeNull().ShouldBeGreaterThan(0);
            gpus[i].MemoryUsedMiB.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(gpus[i].MemoryTotalMiB!.Value);
            (gpus[i].UtilizationGpuPercent ?? 0).ShouldBeInRange(0, 100);
            (gpus[i].PowerWatts ?? 1).ShouldBeGreaterThan(0);
        }
    }

    [GpuFact]
    public async Task NVML_and_nvidia_smi_agree_on_which_GPUs_there_are()
    {
        var smiPath = ProgramLocator.Find("nvidia-smi", Environment.GetEnvironmentVariable("PATH") ?? "");
        if (smiPath is null)
        {
            // A driver without nvidia-smi on PATH: nothing to compare with.
            return;
        }

        using var reader = NvmlGpuReader.TryOpen(NvmlApi.DefaultLibraryPaths, out _)!;
        var nvml = reader.Read();
        var smi = await new NvidiaSmiGpuReader(smiPath, TimeSpan.FromSeconds(30)).ReadAsync();

        nvml.Select(g => (g.Index, g.Name, g.Uuid)).ShouldBe(smi.Select(g => (g.Index, g.Name, g.Uuid)));
        for (var i = 0; i < nvml.Count; i++)
        {
            nvml[i].MemoryTotalMiB!.Value.ShouldBe(smi[i].MemoryTotalMiB!.Value, 1.0);
        }
    }

    [GpuFact]
    public async Task The_collector_prefers_NVML()
    {
        var readout = await new GpuCollector().CollectAsync();

        readout.Source.ShouldBe("nvml");
        readout.Gpus.ShouldNotBeEmpty();
    }
}
