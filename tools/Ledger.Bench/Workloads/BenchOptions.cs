namespace Ledger.Bench.Workloads;

/// <summary>What <c>ledger-bench run</c> was asked for.</summary>
/// <param name="Real">Real git histories whose import as a whole process is measured (the "real" workload).</param>
internal sealed record BenchOptions(long Events, int Hosts, int Days, int Runs, string? Repo, int Commits, IReadOnlySet<string> Only, IReadOnlyList<string>? Real = null)
{
    /// <summary>The workloads, by the names --only takes.</summary>
    public static readonly string[] Workloads = ["hook", "import", "real", "append", "timeline", "report", "why", "tui", "gpu"];

    public bool Includes(string workload) => Only.Count == 0 || Only.Contains(workload);
}
