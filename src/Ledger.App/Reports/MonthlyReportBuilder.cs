using System.Globalization;
using Ledger.App.ChangeDocs;
using Ledger.Core.Events;
using Ledger.Core.Nix;
using Ledger.Core.Reports;
using Ledger.Core.Text;
using Ledger.Store;
using Ledger.Store.Projections;

namespace Ledger.App.Reports;

/// <summary>
/// Builds the monthly report of one host from the store's aggregates (each a few rows computed by
/// PostgreSQL) and Ledger.Core's report arithmetic. Month bounds are local midnights in the host's
/// time zone.
/// </summary>
internal static class MonthlyReportBuilder
{
    public const int StaleBackupDays = 7;
    public const int FullSoonDays = 30;

    /// <summary>The least height of a mount's storage chart, as a share of its size.</summary>
    private const double StorageChartSpan = 0.05;

    /// <summary>The most rows a table of the report shows; longer lists are given whole in an appendix.</summary>
    public const int TopRows = 20;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Task<MonthlyReportModel> BuildAsync(LedgerStore store, string host, ReportMonth month, TimeZoneInfo zone, string docsLink, bool charts, CancellationToken ct) =>
        BuildAsync(store, host, month, zone, _ => docsLink, charts, ct);

    /// <param name="docsLink">The link prefix of the change docs, given the repositories of the month's changes (most changes first).</param>
    public static async Task<MonthlyReportModel> BuildAsync(LedgerStore store, string host, ReportMonth month, TimeZoneInfo zone, Func<IReadOnlyList<string>, string> docsLink, bool charts, CancellationToken ct)
    {
        var from = month.Start(zone);
        var to = month.End(zone);
        var prevFrom = month.Previous.Start(zone);
        var stats = store.Monthly;
        var bounds = Enumerable.Range(0, month.Days + 1).Select(d => ReportMonth.LocalMidnight(month.FirstDay.AddDays(d), zone)).ToArray();

        var now = await stats.CountsAsync(host, from, to, ct);
        var before = await stats.CountsAsync(host, prevFrom, from, ct);

        var changes = new List<ChangeRecord>();
        await foreach (var c in store.Changes.ReadAsync(host, from, to, ct))
        {
            changes.Add(c);
        }

        var names = ChangeDocBuilder.Names(changes, zone);
        var repos = changes.GroupBy(c => c.Commit.Repo, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToArray();
        var link = changes.Count == 0 ? "" : docsLink(repos);
        var reportChanges = changes.Select((c, i) => new ReportChange(
            c.Seq,
            ChangeDocBuilder.LocalDate(c.CommittedAt, zone),
            EventCatalogue.ShortSha(c.Commit.Sha),
            c.Subject,
            link + names[i],
            ChangeDocBuilder.ValidationStatus(c),
            c.Commit.Author,
            c.Commit.Files.Count)).ToArray();

        var inputs = InputMovement.Of(changes.SelectMany(c => (c.Commit.FlakeInputs ?? []).Select(i => (c.CommittedAt, i))))
            .Select(m => new ReportInput(m.Input, m.Updates, m.DaysText, m.Days, m.RefText, ChangeDocBuilder.LocalDate(m.LastAt, zone), m.LastChange))
            .ToArray();

        var deploys = await stats.DeploysAsync(host, from, to, ct);
        var switches = await stats.SwitchPackagesAsync(host, from, to, ct);
        var packagesOf = switches.ToDictionary(p => p.Seq, p => SystemChange.Summary(p.Packages, 3) is { Length: > 0 } text ? text : "no version changed");
        var packages = PackageMovement.Of(switches.SelectMany(w => w.Packages.Select(p => (w.At, p))))
            .Select(m => new ReportPackage(m.Name, m.Switches, m.Text, ChangeDocBuilder.LocalDate(m.LastAt, zone)))
            .ToArray();
        var restores = await stats.RestoresAsync(host, from, to, ct);
        var checks = await stats.ChecksAsync(host, from, to, ct);
        var transitions = await stats.AlertTransitionsAsync(host, from, to, ct);
        var pairing = AlertOccurrences.Pair(await stats.OpenAlertsAsync(host, from, ct), transitions);
        var flapping = Flapping.Detect(transitions, Flapping.DefaultWindow);
        var gpus = await stats.GpusAsync(host, from, to, ct);
        var containers = await stats.ContainersAsync(host, from, to, ct);
        var mounts = await stats.MountsAsync(host, from, to, ct);
        var backups = await stats.BackupsAsync(host, from, to, ct);
        var gpuDaily = await stats.GpuDailyAsync(host, bounds, ct);
        var storageDaily = await stats.StorageDailyAsync(host, bounds, ct);
        var activity = await stats.ActivityDailyAsync(host, bounds, ct);

        var summary = new[]
        {
            Row("Config changes", now.Changes, before.Changes),
            Row("Deploys", now.Deploys, before.Deploys),
            Row("Deploys failed", now.DeploysFailed, before.DeploysFailed),
            Row("Rollbacks", now.Rollbacks, before.Rollbacks),
            Row("Restores", now.Restores, before.Restores),
            Row("Validation checks run", now.ValidationChecks, before.ValidationChecks),
            Row("Validation checks failed", now.ValidationChecks - now.ValidationChecksPassed, before.ValidationChecks - before.ValidationChecksPassed),
            Row("Alerts fired", now.AlertsFired, before.AlertsFired),
            Row("Backups taken", now.Backups, before.Backups),
        };

        var reportDeploys = new ReportDeploys(
            deploys.Select(d => new ReportDeploy(d.Seq, Time(d.At, zone), d.DeployId, EventCatalogue.ShortSha(d.Commit), d.Action, ChangeDocBuilder.Outcome(d.Outcome), d.Validated, d.Generation?.ToString(Inv) ?? "-", packagesOf.GetValueOrDefault(d.Seq, "-"))).ToArray(),
            deploys.GroupBy(d => ChangeDocBuilder.Outcome(d.Outcome)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new OutcomeCount(g.Key, g.LongCount())).ToArray(),
            restores.Select(r => new ReportRestore(r.Seq, Time(r.At, zone), r.RestoreId, r.TargetSeq, EventCatalogue.ShortSha(r.TargetCommit), r.Via, r.Automatic, r.Result, r.Reason ?? "")).ToArray(),
            now.Rollbacks,
            []);
        reportDeploys = reportDeploys with
        {
            // The deploys to review first: failed and rolled back, then the newest; shown in time order.
            Shown = reportDeploys.Deploys.Select((d, i) => (d, i)).OrderBy(x => x.d.Outcome == "succeeded" ? 1 : 0).ThenByDescending(x => x.i).Take(TopRows).OrderBy(x => x.i).Select(x => x.d).ToArray(),
        };

        var checkRows = checks.Select(c => new ReportCheck(c.Check, c.CheckKind, c.Runs, c.Passed, c.Failed, c.Errors, Rate(c.Passed, c.Runs), c.LastProblem ?? "")).ToArray();
        var validations = new ReportValidations(
            now.ValidationChecks,
            now.ValidationChecksPassed,
            Rate(now.ValidationChecksPassed, now.ValidationChecks),
            Rate(before.ValidationChecksPassed, before.ValidationChecks),
            checkRows.Where(c => c.Failed + c.Errors > 0).ToArray(),
            checkRows);

        var alertSeries = activity.FirstOrDefault(s => s.Name == "alerts")?.Values ?? new double?[month.Days];
        var reportAlerts = await AlertSection.BuildAsync(store, pairing, flapping, alertSeries, zone, ct);

        var gpuSeries = gpuDaily.Count > 0 ? gpuDaily[0].Values : [];
        var reportGpu = new ReportGpu(
            gpus.Select(g => new ReportGpuRow(g.Index, g.Name, g.Samples, Pct(g.UtilAvg), Pct(g.UtilP95), Pct(g.UtilMax), Pct(g.EncoderAvg), Pct(g.EncoderMax), Pct(g.DecoderAvg), Pct(g.DecoderMax),
                g.MemoryUsedMaxMiB is { } m ? $"{m.ToString("0", Inv)} MiB" + (g.MemoryTotalMiB is { } t && t > 0 ? $" of {t.ToString("0", Inv)} MiB" : "") : "n/a",
                g.TemperatureMaxC is { } c ? $"{c.ToString("0", Inv)} °C" : "n/a",
                g.PowerMaxWatts is { } w ? $"{w.ToString("0.0", Inv)} W" : "n/a")).ToArray(),
            gpus.Count == 0 ? "" : Sparkline.Render(gpuSeries, 0, 100));

        var reportContainers = containers.Select(c => new ReportContainer(c.Name, c.Snapshots, c.Restarts, c.Recreated, c.UnhealthyPeriods, c.UnhealthySnapshots,
            c.FirstUnhealthy is { } u ? Time(u, zone) : "-", c.LastState + (c.LastHealth is { } h ? $" ({h})" : ""))).ToArray();

        var reportMounts = mounts.Select(m =>
        {
            var growth = StorageTrend.GrowthPerDay(m.StartUsed, m.StartAt, m.EndUsed, m.EndAt);
            var days = StorageTrend.DaysToFull(m.EndAvailable, growth);
            var series = storageDaily.FirstOrDefault(s => s.Name == m.Mount)?.Values ?? [];
            return (m.Tier, Mount: new ReportMount(
                m.Mount,
                Bytes(m.StartUsed),
                Bytes(m.EndUsed),
                Bytes(m.PeakUsed),
                Bytes(m.TotalBytes),
                growth is { } g ? (g >= 0 ? "+" : "-") + Bytes((long)Math.Abs(g)) + "/day" : m.Readings == 1 ? "n/a (one reading)" : "n/a (readings less than a day apart)",
                StorageTrend.DaysToFullText(growth, days),
                growth,
                days,
                Sparkline.Render(series),
                m.Readings));
        }).ToArray();
        var tiers = reportMounts
            .GroupBy(x => x.Tier ?? "untiered")
            .OrderBy(g => TierOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ReportTier(g.Key, g.Select(x => x.Mount).ToArray()))
            .ToArray();

        var reportBackups = backups.Select(b =>
        {
            var age = to - b.At;
            return new ReportBackup(b.Path, Time(b.At, zone), b.Seq, Bytes(b.SizeBytes), $"{Math.Floor(age.TotalDays).ToString(Inv)} days", age.TotalDays > StaleBackupDays, b.InPeriod);
        }).ToArray();
        var backupSection = new ReportBackups(reportBackups, reportBackups.Count(b => b.Stale), StaleBackupDays);

        var notValidated = reportChanges.Where(c => c.Validation == "not validated").ToArray();
        var fullSoon = reportMounts.Where(m => m.Mount.DaysToFullValue is { } d && d <= FullSoonDays).Select(m => m.Mount.Mount).ToArray();
        var noTrend = reportMounts.Where(m => m.Mount.GrowthBytesPerDay is null).Select(m => m.Mount.Mount).ToArray();
        var checklist = new[]
        {
            Item(notValidated.Length == 0, changes.Count == 0 ? "No config changes to review." : notValidated.Length == 0 ? $"All {Plural.Of(changes.Count, "change")} are validated." : $"Validate or annotate {notValidated.Length} of {Plural.Of(changes.Count, "change")}: {string.Join(", ", notValidated.Take(10).Select(c => c.ShortSha))}{(notValidated.Length > 10 ? ", ..." : "")}."),
            Item(now.Rollbacks == 0 && now.DeploysFailed == 0, now.Rollbacks + now.DeploysFailed == 0 ? "No failed or rolled-back deploys." : $"Review {FailedAndRolledBack(now.DeploysFailed, now.Rollbacks)}."),
            Item(validations.Failing.Count == 0, validations.Failing.Count == 0 ? "No validation check failed." : $"Fix or adjust the failing checks: {string.Join(", ", validations.Failing.Select(c => c.Check))}."),
            Item(reportAlerts.OpenCount == 0, reportAlerts.OpenCount == 0 ? "No alert is still open." : $"Close or silence {Plural.Of(reportAlerts.OpenCount, "open alert")}: {string.Join(", ", reportAlerts.Open.Select(o => o.Count == 1 ? o.Name : $"{o.Name} ({o.Count.ToString(Inv)})"))}."),
            Item(flapping.Count == 0, flapping.Count == 0 ? "No flapping alerts." : $"Tune the thresholds of flapping alerts (likely false positives): {string.Join(", ", flapping.Select(f => f.AlertName))}."),
            StorageItem(reportMounts.Length, fullSoon, noTrend),
            Item(backups.Count > 0 && backupSection.Stale == 0, backups.Count == 0 ? "No backups recorded: decide what should be backed up (ledger backup PATH)." : backupSection.Stale == 0 ? $"Every backed-up path has a backup from the last {StaleBackupDays} days." : $"Refresh {Plural.Of(backupSection.Stale, "stale backup")} (older than {StaleBackupDays} days at month end)."),
            Item(false, "Test-restore one backup (ledger restore-file PATH --to /tmp/check)."),
            Item(false, "Reviewed by: ____________  on: ____________"),
        };

        var chartSet = charts
            ? new ReportCharts(
                SvgChart.Bars("Config changes and alerts per day", month, activity),
                SvgChart.Lines("GPU utilisation, daily mean (%)", month, gpuDaily, 0, 100, v => v.ToString("0", Inv)),
                string.Concat(mounts.OrderBy(m => TierOrder(m.Tier ?? "untiered")).ThenBy(m => m.Tier, StringComparer.Ordinal).ThenBy(m => m.Mount, StringComparer.Ordinal)
                    .Select(m => (m, Series: storageDaily.FirstOrDefault(s => s.Name == m.Mount)))
                    .Where(x => x.Series is not null)
                    .Select(x => SvgChart.Small($"{x.m.Mount}: used, daily peak (size {Bytes(x.m.TotalBytes)})", month, x.Series!, x.m.TotalBytes * StorageChartSpan, v => Bytes((long)v)))))
            : new ReportCharts("", "", "");

        var contents = new List<ReportSection>
        {
            new("Summary", "summary"), new("Changes", "changes"), new("Deploys, rollbacks and restores", "deploys-rollbacks-and-restores"),
            new("Validations", "validations"), new("Alerts", "alerts"), new("GPU", "gpu"), new("Containers", "containers"),
            new("Storage", "storage"), new("Backups", "backups"), new("Review checklist", "review-checklist"),
        };
        if (reportChanges.Length > TopRows)
        {
            contents.Add(new("All changes", "appendix-all-changes"));
        }

        if (reportDeploys.Deploys.Count > TopRows)
        {
            contents.Add(new("All deploys", "appendix-all-deploys"));
        }

        if (packages.Length > TopRows)
        {
            contents.Add(new("All package versions", "appendix-all-package-versions"));
        }

        return new MonthlyReportModel(
            host,
            month.ToString(),
            month.Previous.ToString(),
            zone.Id,
            Time(from, zone),
            Time(to, zone),
            summary,
            reportChanges,
            reportChanges.TakeLast(TopRows).ToArray(),
            inputs,
            reportDeploys,
            packages,
            packages.OrderByDescending(p => p.Switches).ThenBy(p => p.Name, StringComparer.Ordinal).Take(TopRows).ToArray(),
            validations,
            reportAlerts,
            reportGpu,
            reportContainers,
            tiers,
            backupSection,
            checklist,
            chartSet,
            TopRows,
            contents);
    }

    private static string FailedAndRolledBack(long failed, long rolledBack) =>
        failed == 0 ? $"{Plural.Of(rolledBack, "rolled-back deploy")}" : rolledBack == 0 ? $"{Plural.Of(failed, "failed deploy")}" : $"{failed.ToString(Inv)} failed and {rolledBack.ToString(Inv)} rolled-back deploys";

    /// <summary>Ticked only when every mount has a trend and none fills soon: no claim from a single reading.</summary>
    private static ChecklistItem StorageItem(int mounts, string[] fullSoon, string[] noTrend)
    {
        if (fullSoon.Length > 0)
        {
            return Item(false, $"Free space or grow: {string.Join(", ", fullSoon)} projected full within {FullSoonDays} days.");
        }

        if (mounts == 0)
        {
            return Item(false, "No storage snapshots this month: nothing to project (ledger snapshot storage).");
        }

        if (noTrend.Length == mounts)
        {
            return Item(false, $"Not enough storage readings to project (need {StorageTrend.NeedsReadings}).");
        }

        return noTrend.Length > 0
            ? Item(false, $"No other mount is projected to fill within {FullSoonDays} days; not enough readings to project {string.Join(", ", noTrend)} (need {StorageTrend.NeedsReadings}).")
            : Item(true, $"No mount is projected to fill within {FullSoonDays} days.");
    }

    private static SummaryRow Row(string label, long current, long previous)
    {
        var delta = current - previous;
        var change = delta == 0 ? "=" : delta > 0 ? $"+{delta.ToString(Inv)}" : delta.ToString(Inv);
        return new SummaryRow(label, current, previous, change);
    }

    private static ChecklistItem Item(bool done, string text) => new(done, text);

    private static int TierOrder(string tier) => tier switch { "hot" => 0, "cold" => 1, "untiered" => 3, _ => 2 };

    private static string Time(DateTimeOffset at, TimeZoneInfo zone) => ChangeDocBuilder.LocalTime(at, zone);

    private static string Rate(long passed, long total) => total == 0 ? "n/a" : (100.0 * passed / total).ToString("0.0", Inv) + " %";

    private static string Pct(double? value) => value is { } v ? v.ToString("0.0", Inv) + " %" : "n/a";

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "n/a";
        }

        var t = TimeSpan.FromSeconds(Math.Round(s));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds:D2}s" : $"{t.Seconds}s";
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double v = bytes;
        int u = 0;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? $"{bytes.ToString(Inv)} B" : $"{v.ToString("0.0", Inv)} {units[u]}";
    }
}
