using System.Diagnostics;
using Ledger.Capture;
using Ledger.Capture.Gpu;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// The NVML reader against a compiled stand-in of libnvidia-ml.so.1 (see <see cref="FakeNvml"/>):
/// real native calls through the same bindings, on a machine without a GPU.
/// </summary>
public sealed class NvmlBindingSpecs
{
    [CompilerFact]
    public void NVML_readings_convert_units_and_leave_unsupported_metrics_null()
    {
        using var nvml = new FakeNvml();
        using var reader = NvmlGpuReader.TryOpen([nvml.Path], out var unavailable);
        reader.ShouldNotBeNull(unavailable);

        var gpus = reader.Read();

        gpus.Count.ShouldBe(2);
        var h200 = gpus[0];
        h200.Index.ShouldBe(0);
        h200.Name.ShouldBe("NVIDIA H200");
        h200.Uuid.ShouldBe("GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15");
        h200.UtilizationGpuPercent.ShouldBe(7);
        h200.UtilizationMemoryPercent.ShouldBe(2);
        h200.MemoryTotalMiB.ShouldBe(143771);
        h200.MemoryUsedMiB.ShouldBe(1550.8125);
        h200.TemperatureC.ShouldBe(36);
        h200.PowerWatts.ShouldBe(83.578);
        h200.EncoderPercent.ShouldBeNull();
        h200.DecoderPercent.ShouldBe(12);

        var mig = gpus[1];
        mig.Name.ShouldBe("NVIDIA A100-SXM4-40GB");
        mig.UtilizationGpuPercent.ShouldBeNull();
        mig.UtilizationMemoryPercent.ShouldBeNull();
        mig.Processes.ShouldBeEmpty();
    }

    [CompilerFact]
    public void NVML_processes_get_their_names_from_proc()
    {
        using var nvml = new FakeNvml();
        using var reader = NvmlGpuReader.TryOpen([nvml.Path], out _)!;

        var processes = reader.Read()[0].Processes;

        processes.Count.ShouldBe(2);
        processes[0].Pid.ShouldBe(Environment.ProcessId);
        processes[0].Name.ShouldBe(Process.GetCurrentProcess().ProcessName);
        processes[0].MemoryUsedMiB.ShouldBe(1542);
        processes[1].Pid.ShouldBe(FakeNvml.InvisiblePid);
        processes[1].Name.ShouldBe("[unknown]");
        processes[1].MemoryUsedMiB.ShouldBeNull();
    }

    [CompilerFact]
    public void An_older_driver_without_the_v2_memory_call_reports_v1_memory()
    {
        using var nvml = new FakeNvml("NO_MEMORY_V2");
        using var reader = NvmlGpuReader.TryOpen([nvml.Path], out _)!;

        // v1 counts reserved memory as used.
        reader.Read()[0].MemoryUsedMiB.ShouldBe(2165.875);
    }

    [CompilerFact]
    public void An_older_driver_without_the_v3_process_call_lists_processes_through_v2()
    {
        using var nvml = new FakeNvml("NO_V3");
        using var reader = NvmlGpuReader.TryOpen([nvml.Path], out _)!;

        reader.Read()[0].Processes.Select(p => p.Pid).ShouldBe([Environment.ProcessId, FakeNvml.InvisiblePid]);
    }

    [CompilerFact]
    public void A_driver_that_is_not_loaded_means_NVML_is_not_available()
    {
        using var nvml = new FakeNvml("INIT_RC=9");

        using var reader = NvmlGpuReader.TryOpen([nvml.Path], out var unavailable);

        reader.ShouldBeNull();
        unavailable.ShouldBe("NVML found no loaded NVIDIA driver (Driver Not Loaded (NVML code 9))");
    }

    [CompilerFact]
    public void A_lost_GPU_is_a_capture_error_naming_it()
    {
        using var nvml = new FakeNvml("LOST");
        using var reader = NvmlGpuReader.TryOpen([nvml.Path], out _)!;

        var e = Should.Throw<CaptureException>(reader.Read);

        e.Message.ShouldContain("nvmlDeviceGetPowerUsage failed for GPU 1: GPU is lost (NVML code 15)");
        e.Message.ShouldContain("reboot");
    }

    [CompilerFact]
    public async Task The_collector_reads_NVML_when_it_loads()
    {
        using var nvml = new FakeNvml();

        var readout = await new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = [nvml.Path], Env = _ => null }).CollectAsync();

        readout.Source.ShouldBe("nvml");
        readout.Gpus.Count.ShouldBe(2);
    }

    [CompilerFact]
    public async Task A_failing_NVML_falls_back_to_nvidia_smi()
    {
        using var nvml = new FakeNvml("LOST");
        using var smi = new FakeNvidiaSmi(
            "0, NVIDIA H200, GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15, 0, 0, 143771, 1551, 141606, 36, 84.45, 0, 0\n", "");

        var readout = await new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = [nvml.Path], NvidiaSmiPath = smi.Executable }).CollectAsync();

        readout.Source.ShouldBe("nvidia-smi");
    }

    [CompilerFact]
    public async Task A_failing_NVML_with_no_nvidia_smi_is_a_capture_error()
    {
        using var nvml = new FakeNvml("LOST");
        using var empty = new Support.TempDirectory("no-nvidia-smi");

        var e = await Should.ThrowAsync<CaptureException>(
            () => new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = [nvml.Path], Env = n => n == "PATH" ? empty.Path : null }).CollectAsync());

        e.Message.ShouldContain("GPU is lost");
    }
}
