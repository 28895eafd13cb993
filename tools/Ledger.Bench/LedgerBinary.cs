using Ledger.Capture.Processes;
using Ledger.Core.Errors;

namespace Ledger.Bench;

/// <summary>
/// The <c>ledger</c> executable the whole-process workloads run (the git hook, <c>ledger serve</c>,
/// the TUI): an apphost, or <c>ledger.dll</c> run by <c>dotnet</c>.
/// </summary>
internal sealed record LedgerBinary(string Path)
{
    /// <summary>--ledger, else the ledger built next to ledger-bench (the project references it), else ledger on PATH.</summary>
    public static LedgerBinary Resolve(string? given, Func<string, string?> env)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new(System.IO.Path.GetFullPath(given));
        }

        foreach (var name in new[] { "ledger", "ledger.dll" })
        {
            var beside = System.IO.Path.Combine(AppContext.BaseDirectory, name);
            if (File.Exists(beside))
            {
                return new(beside);
            }
        }

        return ProgramLocator.Find("ledger", env("PATH")) is { } onPath
            ? new(onPath)
            : throw new LedgerException("Found no ledger next to ledger-bench or on PATH: give --ledger PATH.", ExitCodes.UsageOrEnvironment);
    }

    /// <summary>The program to start and the arguments that come before ledger's own.</summary>
    public (string Exe, string[] First) Command =>
        Path.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", [Path]) : (Path, []);

    /// <summary>Runs <c>ledger ARGS</c> to its end (with <c>--db</c> first when given) and returns its output.</summary>
    public Task<string> RunAsync(IEnumerable<string> args, string? ledgerHome, CancellationToken ct, string? db = null, IReadOnlyDictionary<string, string?>? env = null)
    {
        var (exe, first) = Command;
        string[] dbArgs = db is null ? [] : ["--db", db];
        return ChildProcess.RunAsync(exe, [.. first, .. dbArgs, .. args], ct, ledgerHome, extra: env);
    }

    /// <summary>Runs <c>ledger ARGS</c> to its end, its output thrown away, and measures it (<see cref="ChildProcess.MeasureAsync"/>).</summary>
    public Task<(double Seconds, long? PeakBytes)> MeasureAsync(IEnumerable<string> args, string? ledgerHome, CancellationToken ct, string? db = null)
    {
        var (exe, first) = Command;
        string[] dbArgs = db is null ? [] : ["--db", db];
        return ChildProcess.MeasureAsync(exe, [.. first, .. dbArgs, .. args], ct, ledgerHome);
    }
}
