using Ledger.Capture;
using Ledger.Capture.Gpu;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Gpu;

/// <summary>
/// The daemon keeps NVML initialised between GPU snapshots (initialising costs about 25 ms on an
/// H200, a reading microseconds); one-off snapshots initialise and shut it down each time. Counted
/// with the stand-in library, which logs every nvmlInit_v2 and nvmlShutdown.
/// </summary>
public sealed class KeptNvmlSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("kept-nvml");

    private string Log => Path.Combine(_dir.Path, "calls.log");

    public void Dispose() => _dir.Dispose();

    private string[] Calls() => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    private static Func<string, string?> NoPath => name => name == "PATH" ? "/nonexistent" : null;

    [CompilerFact]
    public async Task Kept_open_NVML_is_initialised_once_for_many_readings_and_shut_down_on_dispose()
    {
        // Arrange
        using var nvml = new FakeNvml($"CALL_LOG=\"{Log}\"");
        var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = [nvml.Path], KeepNvmlOpen = true, Env = NoPath });

        // Act
        for (int i = 0; i < 3; i++)
        {
            (await collector.CollectAsync()).Gpus.Count.ShouldBe(2);
        }

        var beforeDispose = Calls();
        collector.Dispose();

        // Assert
        beforeDispose.ShouldBe(["init"]);
        Calls().ShouldBe(["init", "shutdown"]);
    }

    [CompilerFact]
    public async Task Without_keeping_it_each_reading_initialises_and_shuts_down_NVML()
    {
        // Arrange
        using var nvml = new FakeNvml($"CALL_LOG=\"{Log}\"");
        using var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = [nvml.Path], Env = NoPath });

        // Act
        for (int i = 0; i < 2; i++)
        {
            await collector.CollectAsync();
        }

        // Assert
        Calls().ShouldBe(["init", "shutdown", "init", "shutdown"]);
    }

    [CompilerFact]
    public async Task A_failed_reading_drops_the_kept_NVML_so_the_next_one_starts_afresh()
    {
        // Arrange: GPU 1 is lost, so every reading fails; there is no nvidia-smi to fall back on.
        using var nvml = new FakeNvml("LOST", $"CALL_LOG=\"{Log}\"");
        using var collector = new GpuCollector(new GpuCollectorOptions { NvmlLibraryPaths = [nvml.Path], KeepNvmlOpen = true, Env = NoPath });

        // Act
        for (int i = 0; i < 2; i++)
        {
            await Should.ThrowAsync<CaptureException>(() => collector.CollectAsync());
        }

        // Assert
        Calls().ShouldBe(["init", "shutdown", "init", "shutdown"]);
    }
}
