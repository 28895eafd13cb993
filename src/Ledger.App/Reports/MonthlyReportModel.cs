namespace Ledger.App.Reports;

// The model of report-monthly.*.liquid and of `--format json` (documented in projections/README.md).
// Numbers that the templates print are formatted here (invariant culture, fixed decimals), next to
// the raw values that JSON readers want.

internal sealed record MonthlyReportModel(
    string Host,
    string Month,
    string PreviousMonth,
    string TimeZone,
    string From,
    string To,
    IReadOnlyList<SummaryRow> Summary,
    IReadOnlyList<ReportChange> Changes,
    IReadOnlyList<ReportChange> RecentChanges,
    IReadOnlyList<ReportInput> Inputs,
    ReportDeploys Deploys,
    IReadOnlyList<ReportPackage> Packages,
    IReadOnlyList<ReportPackage> TopPackages,
    ReportValidations Validations,
    ReportAlerts Alerts,
    ReportGpu Gpu,
    IReadOnlyList<ReportContainer> Containers,
    IReadOnlyList<ReportTier> Storage,
    ReportBackups Backups,
    IReadOnlyList<ChecklistItem> Checklist,
    ReportCharts Charts,
    int TopRows,
    IReadOnlyList<ReportSection> Contents);

/// <summary>A link of the table of contents: <see cref="Anchor"/> is the heading's id as Markdig and GitHub make it.</summary>
internal sealed record ReportSection(string Title, string Anchor);

internal sealed record SummaryRow(string Label, long Current, long Previous, string Change);

internal sealed record ReportChange(long Seq, string Date, string ShortSha, string Title, string Link, string Validation, string Author, int Files);

/// <summary>One flake input that moved this month (<see cref="Core.Nix.InputMovement"/>): <see cref="Moved"/> "+42 days", <see cref="Refs"/> "nixos-25.11 → nixos-26.05".</summary>
internal sealed record ReportInput(string Name, int Updates, string Moved, int Days, string Refs, string Last, string LastChange);

/// <param name="Shown">At most <see cref="MonthlyReportModel.TopRows"/> deploys for the section: the failed and rolled-back ones first, then the most recent; in time order.</param>
internal sealed record ReportDeploys(IReadOnlyList<ReportDeploy> Deploys, IReadOnlyList<OutcomeCount> Outcomes, IReadOnlyList<ReportRestore> Restores, long Rollbacks, IReadOnlyList<ReportDeploy> Shown);

internal sealed record ReportDeploy(long Seq, string Time, string DeployId, string Commit, string Action, string Outcome, bool Validated, string Generation, string Packages = "-");

/// <summary>One package whose versions the month's switches changed (<see cref="Core.Nix.PackageMovement"/>): <see cref="Versions"/> "10.9.11 → 10.10.3".</summary>
internal sealed record ReportPackage(string Name, int Switches, string Versions, string Last);

internal sealed record OutcomeCount(string Outcome, long Count);

internal sealed record ReportRestore(long Seq, string Time, string RestoreId, long TargetSeq, string TargetCommit, string Via, bool Automatic, string Result, string Reason);

internal sealed record ReportValidations(long Checks, long Passed, string PassRate, string PreviousPassRate, IReadOnlyList<ReportCheck> Failing, IReadOnlyList<ReportCheck> All);

internal sealed record ReportCheck(string Check, string Kind, long Runs, long Passed, long Failed, long Errors, string PassRate, string LastProblem);

/// <summary>
/// The month's alerts as occurrences (<see cref="Core.Reports.AlertOccurrences"/>): <see cref="Fired"/>
/// is the sum of <see cref="ByName"/>'s, <see cref="OpenCount"/> the sum of <see cref="Open"/>'s.
/// </summary>
/// <param name="ResolvedFromBefore">Alerts fired before the month and resolved in it (named in <see cref="ResolvedFromBeforeNames"/>).</param>
/// <param name="RepeatedResolutions">Resolved notifications that ended nothing (Alertmanager repeats them): not counted as resolutions.</param>
internal sealed record ReportAlerts(
    long Fired,
    IReadOnlyList<ReportAlert> ByName,
    IReadOnlyList<ReportFlapping> Flapping,
    IReadOnlyList<ReportOpenAlert> Open,
    long OpenCount,
    long ResolvedFromBefore,
    string ResolvedFromBeforeNames,
    long RepeatedResolutions,
    string FlappingRule,
    string Sparkline);

/// <param name="Fired">Occurrences fired this month; <paramref name="Resolved"/> of them resolved within it, <paramref name="Open"/> still open at its end.</param>
/// <param name="TopSuspect">The most likely cause of the month's last firing, as <c>ledger why</c> ranks it ("#812 3e180b70 Enable transcoding: touched ..."), or "-".</param>
internal sealed record ReportAlert(string Name, long Fired, long Resolved, long Open, string MeanTimeToResolve, double? MeanSecondsToResolve, string TopSuspect = "-", long? TopSuspectSeq = null);

internal sealed record ReportFlapping(string Name, int Cycles);

/// <summary>The alerts of one name still open at the end of the month: <see cref="Since"/> the oldest firing, <see cref="Latest"/> the newest, <see cref="FromBefore"/> of them fired before the month.</summary>
internal sealed record ReportOpenAlert(string Name, string Severity, long Count, string Since, string Latest, long FromBefore);

internal sealed record ReportGpu(IReadOnlyList<ReportGpuRow> Gpus, string Sparkline);

internal sealed record ReportGpuRow(
    int Index,
    string Name,
    long Samples,
    string UtilAvg,
    string UtilP95,
    string UtilMax,
    string EncoderAvg,
    string EncoderMax,
    string DecoderAvg,
    string DecoderMax,
    string MemoryMax,
    string TemperatureMax,
    string PowerMax);

internal sealed record ReportContainer(string Name, long Snapshots, long Restarts, long Recreated, long UnhealthyPeriods, long UnhealthySnapshots, string FirstUnhealthy, string LastState);

internal sealed record ReportTier(string Tier, IReadOnlyList<ReportMount> Mounts);

internal sealed record ReportMount(
    string Mount,
    string Start,
    string End,
    string Peak,
    string Total,
    string GrowthPerDay,
    string DaysToFull,
    double? GrowthBytesPerDay,
    double? DaysToFullValue,
    string Sparkline,
    long Readings);

internal sealed record ReportBackups(IReadOnlyList<ReportBackup> Paths, long Stale, int StaleAfterDays);

internal sealed record ReportBackup(string Path, string Last, long Seq, string Size, string Age, bool Stale, long TakenThisMonth);

internal sealed record ChecklistItem(bool Done, string Text);

/// <summary>Inline SVG charts for the HTML report; empty strings in Markdown and JSON. <see cref="Storage"/> is one small chart per mount.</summary>
internal sealed record ReportCharts(string Activity, string Gpu, string Storage);
