using Ledger.Capture.Gpu;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>Which source the collector reads from, and what it says when there is none.</summary>
public sealed class GpuCollectorSpecs : IDisposable
{
    private const string Gpu =
        "0, NVIDIA GeForce RTX 2080 SUPER, GPU-00000000-0000-0000-0000-000000000000, 0, 9, 8192, 214, 7571, 40, 39.32, 0, 0\n";

    private static readonly string[] NoNvml = ["/nonexistent/libnvidia-ml.so.1"];

    // A PATH with folders but no nvidia-smi in any of them.
    private readonly TempDirectory _emptyPath = new("no-nvidia-smi");

    public void Dispose() => _emptyPath.Dispose();

    [Fact]
    public async Task Without_NVML_and_without_nvidia_smi_the_readout_says_no_GPU_was_found()
    {
        var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = NoNvml, Env = Env(_emptyPath.Path) });

        var readout = await collector.CollectAsync();

        readout.Unavailable.ShouldBe("no NVIDIA GPU found (no libnvidia-ml.so.1 and no nvidia-smi on PATH)");
        readout.Source.ShouldBeNull();
        readout.Gpus.ShouldBeEmpty();
        readout.IsAvailable.ShouldBeFalse();
    }

    [NoGpuFact]
    public async Task On_a_machine_without_a_driver_the_default_library_paths_find_nothing()
    {
        var readout = await new GpuCollector(new GpuCollectorOptions { Env = Env(_emptyPath.Path) }).CollectAsync();

        readout.Unavailable.ShouldBe("no NVIDIA GPU found (no libnvidia-ml.so.1 and no nvidia-smi on PATH)");
        readout.Gpus.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_library_that_is_not_NVML_counts_as_no_NVML()
    {
        var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = ["libc.so.6"], Env = Env(_emptyPath.Path) });

        var readout = await collector.CollectAsync();

        readout.Unavailable.ShouldBe("no NVIDIA GPU found (libc.so.6 lacks nvmlInit_v2 (not NVML, or a driver too old) and no nvidia-smi on PATH)");
    }

    [Fact]
    public async Task Without_NVML_the_collector_falls_back_to_nvidia_smi_found_on_PATH()
    {
        using var smi = new FakeNvidiaSmi(Gpu, "");
        var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = NoNvml, Env = Env(smi.Folder, _emptyPath.Path) });

        var readout = await collector.CollectAsync();

        readout.Source.ShouldBe("nvidia-smi");
        readout.Unavailable.ShouldBeNull();
        readout.Gpus.ShouldHaveSingleItem().MemoryUsedMiB.ShouldBe(214);
        smi.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task LEDGER_NVML_DISABLE_skips_NVML_even_where_it_loads()
    {
        using var smi = new FakeNvidiaSmi(Gpu, "");
        var env = Env(smi.Folder);
        var collector = new GpuCollector(new GpuCollectorOptions { Env = name => name == "LEDGER_NVML_DISABLE" ? "1" : env(name) });

        var readout = await collector.CollectAsync();

        readout.Source.ShouldBe("nvidia-smi");
    }

    [Fact]
    public async Task LEDGER_NVML_DISABLE_is_named_when_nothing_is_found()
    {
        var env = Env(_emptyPath.Path);
        var collector = new GpuCollector(new GpuCollectorOptions { Env = name => name == "LEDGER_NVML_DISABLE" ? "1" : env(name) });

        var readout = await collector.CollectAsync();

        readout.Unavailable.ShouldBe("no NVIDIA GPU found (NVML skipped by LEDGER_NVML_DISABLE=1 and no nvidia-smi on PATH)");
    }

    [Fact]
    public async Task Forcing_nvidia_smi_uses_it_even_where_NVML_loads()
    {
        using var smi = new FakeNvidiaSmi(Gpu, "");
        var collector = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.NvidiaSmi, NvidiaSmiPath = smi.Executable });

        var readout = await collector.CollectAsync();

        readout.Source.ShouldBe("nvidia-smi");
        readout.Gpus.ShouldHaveSingleItem().Name.ShouldBe("NVIDIA GeForce RTX 2080 SUPER");
    }

    [Fact]
    public async Task Forcing_nvidia_smi_where_there_is_none_says_so()
    {
        var collector = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.NvidiaSmi, NvmlLibraryPaths = NoNvml, Env = Env(_emptyPath.Path) });

        var readout = await collector.CollectAsync();

        readout.Unavailable.ShouldBe("nvidia-smi not available: no nvidia-smi on PATH");
    }

    [Fact]
    public async Task Forcing_NVML_where_it_does_not_load_says_so_and_does_not_run_nvidia_smi()
    {
        using var smi = new FakeNvidiaSmi(Gpu, "");
        var collector = new GpuCollector(new GpuCollectorOptions { Source = GpuSource.Nvml, NvmlLibraryPaths = NoNvml, Env = Env(smi.Folder) });

        var readout = await collector.CollectAsync();

        readout.Unavailable.ShouldBe("NVML not available: no libnvidia-ml.so.1");
        smi.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_nvidia_smi_that_sees_no_device_reads_as_no_GPU()
    {
        using var smi = new FakeNvidiaSmi("No devices were found\n", "", exitCode: 6);
        var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = NoNvml, Env = Env(smi.Folder) });

        var readout = await collector.CollectAsync();

        readout.Source.ShouldBeNull();
        readout.Unavailable.ShouldBe($"no NVIDIA GPU found ({smi.Executable} says: No devices were found)");
    }

    private static Func<string, string?> Env(params string[] path) =>
        name => name == "PATH" ? string.Join(':', path) : null;
}
