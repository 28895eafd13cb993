using System.Globalization;

namespace Ledger.Capture.Gpu;

/// <summary>
/// Reads GPUs by running <c>nvidia-smi --query-gpu</c> and <c>--query-compute-apps</c> (CSV without
/// header or units). The executable is passed in, so tests can run a faithful fake.
/// </summary>
internal sealed class NvidiaSmiGpuReader
{
    public const string ProgramName = "nvidia-smi";

    public static readonly IReadOnlyList<string> GpuFields =
    [
        "index", "name", "uuid", "utilization.gpu", "utilization.memory", "memory.total", "memory.used",
        "memory.free", "temperature.gpu", "power.draw", "utilization.encoder", "utilization.decoder",
    ];

    public static readonly IReadOnlyList<string> ProcessFields = ["gpu_uuid", "pid", "process_name", "used_gpu_memory"];

    private const string Format = "--format=csv,noheader,nounits";

    // What nvidia-smi prints (exit code 6) when the driver is loaded but sees no GPU.
    private const string NoDevices = "No devices were found";

    private readonly string _executable;
    private readonly TimeSpan _timeout;

    public NvidiaSmiGpuReader(string executable, TimeSpan timeout)
    {
        _executable = executable;
        _timeout = timeout;
    }

    public static IReadOnlyList<string> GpuQueryArguments { get; } = [$"--query-gpu={string.Join(',', GpuFields)}", Format];

    public static IReadOnlyList<string> ProcessQueryArguments { get; } = [$"--query-compute-apps={string.Join(',', ProcessFields)}", Format];

    /// <summary>The GPUs nvidia-smi lists; empty when it says "No devices were found".</summary>
    public async Task<IReadOnlyList<GpuReading>> ReadAsync(CancellationToken ct = default)
    {
        var gpuOutput = await RunAsync(GpuQueryArguments, ct);
        if (gpuOutput is null)
        {
            return [];
        }

        var processOutput = await RunAsync(ProcessQueryArguments, ct) ?? "";
        return Map(gpuOutput, processOutput);
    }

    /// <summary>
    /// Turns the two queries' outputs (noheader, nounits) into readings, processes attached by GPU
    /// uuid. A process whose GPU is not in the first output (it changed between the runs) is left out.
    /// </summary>
    public static IReadOnlyList<GpuReading> Map(string gpuOutput, string processOutput)
    {
        var processes = NvidiaSmiCsv.Parse(processOutput, ProcessFields, emptyMeansNoRows: true, freeTextField: "process_name")
            .Select(r => (Uuid: r["gpu_uuid"], Process: new GpuProcess(
                Integer(r["pid"], "pid"),
                r["process_name"],
                NvidiaSmiCsv.Number(r["used_gpu_memory"], "used_gpu_memory"))))
            .ToLookup(p => p.Uuid, p => p.Process, StringComparer.Ordinal);

        return NvidiaSmiCsv.Parse(gpuOutput, GpuFields, freeTextField: "name")
            .Select(r => new GpuReading(
                Integer(r["index"], "index"),
                r["name"],
                r["uuid"],
                UtilizationGpuPercent: NvidiaSmiCsv.Number(r["utilization.gpu"], "utilization.gpu"),
                UtilizationMemoryPercent: NvidiaSmiCsv.Number(r["utilization.memory"], "utilization.memory"),
                MemoryUsedMiB: NvidiaSmiCsv.Number(r["memory.used"], "memory.used"),
                MemoryTotalMiB: NvidiaSmiCsv.Number(r["memory.total"], "memory.total"),
                TemperatureC: NvidiaSmiCsv.Number(r["temperature.gpu"], "temperature.gpu"),
                PowerWatts: NvidiaSmiCsv.Number(r["power.draw"], "power.draw"),
                EncoderPercent: NvidiaSmiCsv.Number(r["utilization.encoder"], "utilization.encoder"),
                DecoderPercent: NvidiaSmiCsv.Number(r["utilization.decoder"], "utilization.decoder"),
                Processes: processes[r["uuid"]].ToArray()))
            .ToArray();
    }

    private static int Integer(string cell, string field) =>
        int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CaptureException($"nvidia-smi printed '{cell}' for {field}, where a whole number was expected.");

    private async Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        ProgramResult result;
        try
        {
            result = await ProgramRunner.Default.RunAsync(new ProgramCall(_executable, arguments), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CaptureException(
                $"{_executable} {arguments[0]} did not finish within {_timeout.TotalSeconds:0.#} s and was stopped. " +
                "The driver may be busy or hung; try nvidia-smi by hand.");
        }
        catch (ProgramNotStartedException e)
        {
            throw new CaptureException($"Could not start {_executable}: {e.Reason}.", inner: e.InnerException);
        }

        if (result.StandardOutput.Contains(NoDevices, StringComparison.Ordinal) || result.StandardError.Contains(NoDevices, StringComparison.Ordinal))
        {
            return null;
        }

        if (result.ExitCode != 0)
        {
            // nvidia-smi writes some failures ("couldn't communicate with the NVIDIA driver") to stdout.
            var said = (result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput).Trim();
            throw new CaptureException($"{_executable} {arguments[0]} failed with exit code {result.ExitCode}: {said}");
        }

        return result.StandardOutput;
    }
}
