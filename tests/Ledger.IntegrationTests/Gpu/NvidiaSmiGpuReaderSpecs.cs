using System.Diagnostics;
using Ledger.Capture;
using Ledger.Capture.Gpu;
using Ledger.Core.Events;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// The nvidia-smi reader end to end, running a fake nvidia-smi that prints real output in the
/// noheader,nounits shape (values copied by hand from the captures and from an H200).
/// </summary>
public sealed class NvidiaSmiGpuReaderSpecs
{
    // The RTX 2080 SUPER capture's "load" section, in the shape --format=csv,noheader,nounits prints it.
    private const string Rtx2080SuperLoad =
        "0, NVIDIA GeForce RTX 2080 SUPER, GPU-00000000-0000-0000-0000-000000000000, 8, 3, 8192, 819, 6967, 45, 111.50, 100, 0\n";

    private const string Rtx2080SuperLoadApps =
        "GPU-00000000-0000-0000-0000-000000000000, 5268, ffmpeg, 370\n" +
        "GPU-00000000-0000-0000-0000-000000000000, 5267, ffmpeg, 230\n";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task I_can_read_GPUs_and_their_processes_from_nvidia_smi()
    {
        using var smi = new FakeNvidiaSmi(Rtx2080SuperLoad, Rtx2080SuperLoadApps);

        var gpus = await new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync();

        var gpu = gpus.ShouldHaveSingleItem();
        gpu.Index.ShouldBe(0);
        gpu.Name.ShouldBe("NVIDIA GeForce RTX 2080 SUPER");
        gpu.Uuid.ShouldBe("GPU-00000000-0000-0000-0000-000000000000");
        gpu.UtilizationGpuPercent.ShouldBe(8);
        gpu.UtilizationMemoryPercent.ShouldBe(3);
        gpu.MemoryTotalMiB.ShouldBe(8192);
        gpu.MemoryUsedMiB.ShouldBe(819);
        gpu.TemperatureC.ShouldBe(45);
        gpu.PowerWatts.ShouldBe(111.5);
        gpu.EncoderPercent.ShouldBe(100);
        gpu.DecoderPercent.ShouldBe(0);
        gpu.Processes.ShouldBe([new GpuProcess(5268, "ffmpeg", 370), new GpuProcess(5267, "ffmpeg", 230)]);
    }

    [Fact]
    public async Task The_reader_asks_nvidia_smi_for_exactly_the_documented_queries()
    {
        using var smi = new FakeNvidiaSmi(Rtx2080SuperLoad, Rtx2080SuperLoadApps);

        await new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync();

        smi.Calls.ShouldBe(
        [
            "--query-gpu=index,name,uuid,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,temperature.gpu,power.draw,utilization.encoder,utilization.decoder --format=csv,noheader,nounits",
            "--query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory --format=csv,noheader,nounits",
        ]);
    }

    [Fact]
    public async Task Processes_are_attached_to_their_GPU_by_uuid()
    {
        const string gpus =
            "0, NVIDIA L40S, GPU-11111111-2222-3333-4444-555555555555, 9, 2, 46068, 1235, 44225, 54, 110.23, 60, 0\n" +
            "1, NVIDIA L40S, GPU-66666666-7777-8888-9999-000000000000, [N/A], [N/A], 46068, 0, 45460, 33, [Not Supported], [N/A], [N/A]\n";
        const string apps =
            "GPU-66666666-7777-8888-9999-000000000000, 20038, ffmpeg, 681\n" +
            "GPU-11111111-2222-3333-4444-555555555555, 20037, ffmpeg, 538\n" +
            "GPU-66666666-7777-8888-9999-000000000000, 31337, jellyfin ffmpeg, [N/A]\n";
        using var smi = new FakeNvidiaSmi(gpus, apps);

        var readings = await new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync();

        readings.Select(g => g.Index).ShouldBe([0, 1]);
        readings[0].Processes.ShouldBe([new GpuProcess(20037, "ffmpeg", 538)]);
        readings[1].Processes.ShouldBe([new GpuProcess(20038, "ffmpeg", 681), new GpuProcess(31337, "jellyfin ffmpeg", null)]);
        readings[1].UtilizationGpuPercent.ShouldBeNull();
        readings[1].PowerWatts.ShouldBeNull();
        readings[1].EncoderPercent.ShouldBeNull();
    }

    [Fact]
    public async Task No_running_process_gives_GPUs_with_no_processes()
    {
        using var smi = new FakeNvidiaSmi(
            "0, NVIDIA H200, GPU-6bd4d6e1-4195-52f0-0b57-52ec2a616d15, 0, 0, 143771, 0, 143156, 33, 76.12, 0, 0\n", "");

        var gpu = (await new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync()).ShouldHaveSingleItem();

        gpu.Processes.ShouldBeEmpty();
        gpu.MemoryTotalMiB.ShouldBe(143771);
    }

    [Fact]
    public async Task A_failing_nvidia_smi_is_a_capture_error_with_what_it_said()
    {
        using var smi = new FakeNvidiaSmi("", "", exitCode: 15, stderr: "Unable to determine the device handle for GPU0000:01:00.0: GPU is lost.  Reboot the system to recover this GPU\n");

        var e = await Should.ThrowAsync<CaptureException>(() => new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync());

        e.Message.ShouldContain("exit code 15");
        e.Message.ShouldContain("GPU is lost");
    }

    [Fact]
    public async Task A_failure_nvidia_smi_reports_on_stdout_is_in_the_message()
    {
        // Without a loaded driver nvidia-smi prints this on stdout and exits 9.
        const string said = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";
        using var smi = new FakeNvidiaSmi(said + "\n", "", exitCode: 9);

        var e = await Should.ThrowAsync<CaptureException>(() => new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync());

        e.Message.ShouldContain("exit code 9");
        e.Message.ShouldContain(said);
    }

    [Fact]
    public async Task No_devices_found_reads_as_no_GPUs()
    {
        using var smi = new FakeNvidiaSmi("No devices were found\n", "", exitCode: 6);

        (await new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Truncated_output_is_a_capture_error()
    {
        using var smi = new FakeNvidiaSmi("0, NVIDIA GeForce RTX 2080 SUPER, GPU-00000000-0000-0000-0000-000000000000, 8, 3, 81", "");

        var e = await Should.ThrowAsync<CaptureException>(() => new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync());

        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task A_hung_nvidia_smi_is_stopped_at_the_timeout()
    {
        using var smi = new FakeNvidiaSmi(Rtx2080SuperLoad, "", sleepSeconds: 30);
        var watch = Stopwatch.StartNew();

        var e = await Should.ThrowAsync<CaptureException>(() => new NvidiaSmiGpuReader(smi.Executable, TimeSpan.FromMilliseconds(300)).ReadAsync());

        e.Message.ShouldContain("did not finish within 0.3 s");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_stops_nvidia_smi_and_is_not_a_capture_error()
    {
        using var smi = new FakeNvidiaSmi(Rtx2080SuperLoad, "", sleepSeconds: 30);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => new NvidiaSmiGpuReader(smi.Executable, Timeout).ReadAsync(cts.Token));
    }

    [Fact]
    public async Task A_missing_executable_is_a_capture_error()
    {
        var e = await Should.ThrowAsync<CaptureException>(
            () => new NvidiaSmiGpuReader("/nonexistent/nvidia-smi", Timeout).ReadAsync());

        e.Message.ShouldContain("/nonexistent/nvidia-smi");
    }
}
