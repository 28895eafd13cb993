using System.Diagnostics;
using System.Text;
using CliWrap;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Processes;

namespace Ledger.Bench;

/// <summary>Outside programs the benchmark runs (and often times) to their end, through Ledger's one runner.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> and returns its standard output; a non-zero exit is an error
    /// here, since the workload cannot go on without what the program should have done.
    /// </summary>
    /// <param name="extra">More environment variables for the program (LEDGER_DB for a git hook).</param>
    public static async Task<string> RunAsync(string program, IReadOnlyList<string> args, CancellationToken ct, string? ledgerHome = null, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var result = await ProgramRunner.Default.RunAsync(new ProgramCall(program, args) { WorkingDirectory = workingDirectory, Environment = EnvironmentOf(ledgerHome, extra) }, ct);
        if (result.ExitCode != 0)
        {
            throw Failed(program, args, result.ExitCode, result.StandardError);
        }

        return result.StandardOutput;
    }

    /// <summary>
    /// Runs <paramref name="program"/> to its end with its standard output read and thrown away
    /// (a baseline such as git's log must not pay for its tens of megabytes of output being
    /// decoded and kept here, as it did), and measures it: the seconds, and its peak resident
    /// memory, the kernel's high-water mark (VmHWM in /proc) read every few milliseconds until it
    /// exits (null where /proc has none). A program that replaces itself (<c>exec</c>, as the
    /// ledger front door does) keeps its process, so the figure is the last program's.
    /// </summary>
    public static async Task<(double Seconds, long? PeakBytes)> MeasureAsync(string program, IReadOnlyList<string> args, CancellationToken ct, string? ledgerHome = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        var run = CliWrap.Cli.Wrap(program)
            .WithArguments(args)
            .WithEnvironmentVariables(EnvironmentOf(ledgerHome, extra))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStream(Stream.Null))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .ExecuteAsync(ct);
        long? peak = null;
        var status = $"/proc/{run.ProcessId}/status";
        while (!run.Task.IsCompleted)
        {
            peak = HighWaterMark(status) is { } now ? Math.Max(now, peak ?? 0) : peak;
            await Task.WhenAny(run.Task, Task.Delay(5, ct));
        }

        var result = await run;
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.ExitCode != 0)
        {
            throw Failed(program, args, result.ExitCode, stderr.ToString());
        }

        return (seconds, peak);
    }

    /// <summary>A non-zero exit: the workload cannot go on without what the program should have done.</summary>
    private static LedgerException Failed(string program, IReadOnlyList<string> args, int exitCode, string standardError) =>
        new($"{Path.GetFileName(program)} {string.Join(' ', args.Take(3))} ... exited with {exitCode}: {standardError.Trim()}");

    /// <summary>The extra environment variables, with LEDGER_HOME when a home is given.</summary>
    private static Dictionary<string, string?> EnvironmentOf(string? ledgerHome, IReadOnlyDictionary<string, string?>? extra)
    {
        var environment = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (ledgerHome is not null)
        {
            environment["LEDGER_HOME"] = ledgerHome;
        }

        return environment;
    }

    /// <summary>VmHWM of a running process in bytes, or null (it has ended, or no /proc).</summary>
    private static long? HighWaterMark(string status)
    {
        try
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.TryParse(kb, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone between two readings: the last one stands.
        }

        return null;
    }

    /// <summary>The full path of a program on PATH (or in NixOS's system folders), or null.</summary>
    public static string? Find(string program) => ProgramLocator.Find(program);
}
