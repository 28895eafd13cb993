namespace Ledger.Bench.Workloads;

/// <summary>What <c>ledger-bench run</c> was asked for.</summary>
internal sealed record BenchOptions(long Events, int Hosts, int Days, int Runs, string? Repo, int Commits, IReadOnlySet<string> Only)
{
    /// <summary>The workloads, by the names --only takes.</summary>
    public static readonly string[] Workloads = ["hook", "import", "append", "timeline", "report", "why", "tui", "gpu"];

    public bool Includes(string workload) => Only.Count == 0 || Only.Contains(workload);
}
