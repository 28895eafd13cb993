namespace Ledger.Store.Projections;

// The rows the monthly statistics queries return, one small record per section (kept together
// like the per-stream events files: they only make sense side by side).

/// <summary>Counts for the summary, for one period.</summary>
public sealed record PeriodCounts(
    long Changes,
    long Deploys,
    long DeploysSucceeded,
    long DeploysFailed,
    long Rollbacks,
    long Restores,
    long ValidationChecks,
    long ValidationChecksPassed,
    long AlertsFired,
    long Backups);

public sealed record DeployStat(string DeployId, long Seq, DateTimeOffset At, string Commit, string Action, string Outcome, bool Validated, int? Generation, long DurationMs);

/// <summary>The package changes one switch recorded: <see cref="Type"/> is deploy_finished, restore_completed or generation_activated.</summary>
public sealed record SwitchPackages(long Seq, DateTimeOffset At, string Type, IReadOnlyList<Ledger.Core.Nix.PackageChange> Packages);

public sealed record RestoreStat(string RestoreId, long Seq, DateTimeOffset At, long TargetSeq, string TargetCommit, string Via, bool Automatic, string? Reason, string Result, string? NewCommit);

public sealed record CheckStat(string Check, string CheckKind, long Runs, long Passed, long Failed, long Errors, string? LastProblem);

public sealed record GpuStat(
    int Index,
    string Name,
    long Samples,
    double? UtilAvg,
    double? UtilP95,
    double? UtilMax,
    double? EncoderAvg,
    double? EncoderMax,
    double? DecoderAvg,
    double? DecoderMax,
    double? MemoryUsedMaxMiB,
    double? MemoryTotalMiB,
    double? TemperatureMaxC,
    double? PowerMaxWatts);

public sealed record ContainerStat(string Name, long Snapshots, long Recreated, long Restarts, long UnhealthySnapshots, long UnhealthyPeriods, DateTimeOffset? FirstUnhealthy, string LastState, string? LastHealth);

public sealed record MountStat(
    string Mount,
    string? Tier,
    DateTimeOffset StartAt,
    long StartUsed,
    DateTimeOffset EndAt,
    long EndUsed,
    long EndAvailable,
    long TotalBytes,
    long PeakUsed,
    long Readings);

public sealed record BackupStat(string Path, DateTimeOffset At, long Seq, string Sha256, long SizeBytes, long InPeriod);

/// <summary>One value per day of the period (null: nothing recorded that day).</summary>
public sealed record DailySeries(string Name, IReadOnlyList<double?> Values);
