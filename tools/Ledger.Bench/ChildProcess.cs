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
        var environment = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (ledgerHome is not null)
        {
            environment["LEDGER_HOME"] = ledgerHome;
        }

        var result = await ProgramRunner.Default.RunAsync(new ProgramCall(program, args) { WorkingDirectory = workingDirectory, Environment = environment }, ct);
        if (result.ExitCode != 0)
        {
            throw new LedgerException($"{Path.GetFileName(program)} {string.Join(' ', args.Take(3))} ... exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    /// <summary>The full path of a program on PATH (or in NixOS's system folders), or null.</summary>
    public static string? Find(string program) => ProgramLocator.Find(program);
}
