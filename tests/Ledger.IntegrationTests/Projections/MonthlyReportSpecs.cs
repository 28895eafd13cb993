using System.Text.Json;
using Ledger.App.Reports;
using Ledger.Core.Reports;
using Ledger.IntegrationTests.Support;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.Tables;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Ledger.IntegrationTests.Projections;

/// <summary>The monthly report says one consistent thing (issue 20): alerts, storage, long lists, links.</summary>
public sealed class MonthlyReportSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _dir = new("ledger-report");

    public MonthlyReportSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _dir.Dispose();

    private async Task<(string File, CliResult Run)> ReportAsync(string host, string format, string? folder = null, string? docs = null)
    {
        var file = Path.Combine(folder ?? Path.Combine(_dir.Path, host), $"report.{format}");
        var args = new List<string> { "report", "monthly", "--month", "2026-03", "--host", host, "--time-zone", "UTC", "--format", format, "--out", file };
        if (docs is not null)
        {
            args.AddRange(["--docs", docs]);
        }

        var run = await new CliRun(_db.ConnectionString, _dir.Path, host).RunAsync([.. args]);
        run.ExitCode.ShouldBe(0, run.Err);
        return (file, run);
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, heading);
        var end = markdown.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    [Fact]
    public async Task Issue_20_an_alert_fired_and_resolved_once_is_not_open_and_the_checklist_is_ticked()
    {
        const string host = "once";
        await ReportHistory.FiredAsync(_db.Store, host, "DiskFull", "fp-once", ReportHistory.March(5, 10));
        await ReportHistory.ResolvedAsync(_db.Store, host, "DiskFull", "fp-once", ReportHistory.March(5, 10), ReportHistory.March(5, 10, 9));

        var md = await File.ReadAllTextAsync((await ReportAsync(host, "md")).File);

        var alerts = Section(md, "Alerts");
        alerts.ShouldContain("| DiskFull | 1 | 1 | 0 | 9m 00s |");
        alerts.ShouldContain("No alert is still open at the end of the month.");
        alerts.ShouldNotContain("Still open at the end of the month:");
        md.ShouldContain("- [x] No alert is still open.");
        (await _db.Store.Monthly.OpenAlertsAsync(host, ReportMonth.Parse("2026-03").End(TimeZoneInfo.Utc))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Issue_20_repeated_resolutions_and_resolutions_of_earlier_firings_are_not_counted_as_this_months()
    {
        const string host = "repeats";
        await ReportHistory.FiredAsync(_db.Store, host, "TargetDown", "fp-rep", ReportHistory.March(6, 8));
        for (int copy = 0; copy < 4; copy++)
        {
            await ReportHistory.ResolvedAsync(_db.Store, host, "TargetDown", "fp-rep", ReportHistory.March(6, 8), ReportHistory.March(6, 8, 10 + copy), copy);
        }

        var february = new DateTimeOffset(2026, 2, 20, 9, 0, 0, TimeSpan.Zero);
        await ReportHistory.FiredAsync(_db.Store, host, "BackupLate", "fp-old", february);
        await ReportHistory.ResolvedAsync(_db.Store, host, "BackupLate", "fp-old", february, ReportHistory.March(2, 9));

        var (file, _) = await ReportAsync(host, "md");
        var json = JsonDocument.Parse(await File.ReadAllTextAsync((await ReportAsync(host, "json")).File)).RootElement.GetProperty("alerts");

        var alerts = Section(await File.ReadAllTextAsync(file), "Alerts");
        alerts.ShouldContain("| TargetDown | 1 | 1 | 0 | 10m 00s |");
        alerts.ShouldNotContain("| BackupLate |");
        alerts.ShouldContain("Also resolved this month: 1 alert fired before the month (BackupLate).");
        alerts.ShouldContain("3 repeated resolved notifications ignored");
        json.GetProperty("fired").GetInt64().ShouldBe(1);
        json.GetProperty("repeatedResolutions").GetInt64().ShouldBe(3);
        json.GetProperty("resolvedFromBefore").GetInt64().ShouldBe(1);
        json.GetProperty("openCount").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Issue_20_hundreds_of_open_alerts_are_one_line_per_name_and_the_checklist_counts_the_same()
    {
        const string host = "noisy";
        for (int i = 0; i < 300; i++)
        {
            await ReportHistory.FiredAsync(_db.Store, host, "NodeDown", $"fp-node-{i:000}", ReportHistory.March(20, 0) + TimeSpan.FromMinutes(i), "critical");
        }

        await ReportHistory.FiredAsync(_db.Store, host, "GpuHot", "fp-gpu", ReportHistory.March(30, 18));
        var end = ReportMonth.Parse("2026-03").End(TimeZoneInfo.Utc);

        var md = await File.ReadAllTextAsync((await ReportAsync(host, "md")).File);

        var alerts = Section(md, "Alerts");
        alerts.ShouldContain("Still open at the end of the month: 301 alerts.");
        alerts.ShouldContain("- NodeDown (critical): 300 open, the oldest firing since 2026-03-20 00:00, the newest since 2026-03-20 04:59");
        alerts.ShouldContain("- GpuHot (warning), firing since 2026-03-30 18:00");
        alerts.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)).ShouldBe(2);
        md.ShouldContain("- [ ] Close or silence 301 open alerts: NodeDown (300), GpuHot.");
        (await _db.Store.Monthly.OpenAlertsAsync(host, end)).Count.ShouldBe(301, "the store's open alerts are the report's");
    }

    [Fact]
    public async Task Issue_20_one_storage_reading_gives_no_projection_and_leaves_the_checklist_item_open()
    {
        const string host = "onereading";
        await ReportHistory.StorageAsync(_db.Store, host, ReportHistory.March(10));

        var md = await File.ReadAllTextAsync((await ReportAsync(host, "md")).File);

        md.ShouldContain("| `/` | 200.0 GiB | 200.0 GiB | 200.0 GiB | 500.0 GiB | n/a (one reading) | n/a |");
        md.ShouldContain("- [ ] Not enough storage readings to project (need two readings at least a day apart).");
        md.ShouldNotContain("[x] No mount is projected");
    }

    [Fact]
    public async Task Issue_20_days_to_full_beyond_a_year_read_more_than_a_year_and_the_item_is_ticked()
    {
        const string host = "slowgrowth";
        await ReportHistory.StorageAsync(_db.Store, host, ReportHistory.March(1), rootUsedGiB: 200, arrayUsedGiB: 10_240);
        await ReportHistory.StorageAsync(_db.Store, host, ReportHistory.March(31), rootUsedGiB: 201, arrayUsedGiB: 10_240);

        var md = await File.ReadAllTextAsync((await ReportAsync(host, "md")).File);

        md.ShouldContain("| +34.1 MiB/day | > 1 year |");
        md.ShouldContain("| `/srv/media` | 10.0 TiB | 10.0 TiB | 10.0 TiB | 16.0 TiB | +0 B/day | not filling |");
        md.ShouldContain("- [x] No mount is projected to fill within 30 days.");
    }

    [Fact(Timeout = 120_000)]
    public async Task Issue_20_twelve_hundred_changes_give_a_top_table_and_a_working_link_to_all_of_them()
    {
        const string host = "busy";
        using var repo = new TempDirectory("ledger-repo");
        await ReportHistory.ChangesAsync(_db.Store, host, repo.Path, 1200);
        var docs = Path.Combine(repo.Path, "docs");
        (await new CliRun(_db.ConnectionString, _dir.Path, host).RunAsync("docs", "--out", docs, "--host", host, "--time-zone", "UTC")).ExitCode.ShouldBe(0);

        var (file, _) = await ReportAsync(host, "md", docs: docs);

        var text = await File.ReadAllTextAsync(file);
        var doc = Markdown.Parse(text, new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers(AutoIdentifierOptions.GitHub).Build());
        var changes = Section(text, "Changes");
        changes.ShouldContain("1200 changes; the 20 most recent are below, and [all 1200](#appendix-all-changes) at the end.");
        changes.Split('\n').Count(l => l.StartsWith("| 2026-", StringComparison.Ordinal)).ShouldBe(MonthlyReportBuilder.TopRows);
        var appendix = doc.Descendants<HeadingBlock>().Single(h => h.GetAttributes().Id == "appendix-all-changes");
        var table = doc.Descendants<Table>().Single(t => t.Line > appendix.Line);
        table.Count.ShouldBe(1200 + 1, "a header row and every change");
        foreach (var anchor in doc.Descendants<LinkInline>().Select(l => l.Url!).Where(u => u.StartsWith('#')))
        {
            var id = anchor[1..];
            doc.Descendants<HeadingBlock>().ShouldContain(h => h.GetAttributes().Id == id, $"{anchor} has no heading");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Issue_20_without_docs_the_links_find_the_docs_in_the_repository_or_beside_the_report()
    {
        const string host = "linked";
        using var repo = new TempDirectory("ledger-repo");
        await ReportHistory.ChangesAsync(_db.Store, host, repo.Path, 30);
        var cli = new CliRun(_db.ConnectionString, _dir.Path, host);
        var inRepo = Path.Combine(repo.Path, "docs");
        var site = Path.Combine(_dir.Path, "site");
        (await cli.RunAsync("docs", "--out", inRepo, "--host", host, "--time-zone", "UTC")).ExitCode.ShouldBe(0);

        // The NixOS module's layout: docs in /etc/nixos/docs, reports in /var/lib/ledger/reports.
        var elsewhere = Path.Combine(_dir.Path, "var", "lib", "ledger", "reports");
        var reports = new[] { (await ReportAsync(host, "md", elsewhere)).File, (await ReportAsync(host, "html", elsewhere)).File };

        // ledger demo's layout: reports/ beside docs/.
        (await cli.RunAsync("docs", "--out", Path.Combine(site, "docs"), "--host", host, "--time-zone", "UTC")).ExitCode.ShouldBe(0);
        var (beside, besideRun) = await ReportAsync(host, "md", Path.Combine(site, "reports"));

        foreach (var report in reports.Append(beside))
        {
            var links = Links(report);
            links.Length.ShouldBe(30 + 20, $"the top 20 and the appendix's 30 in {report}");
            foreach (var link in links)
            {
                File.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(report)!, Uri.UnescapeDataString(link)))).ShouldBeTrue($"{link} in {report}");
            }
        }

        Links(beside).ShouldAllBe(l => l.StartsWith("../docs/"));
        Links(reports[0]).ShouldAllBe(l => !l.StartsWith("../docs/"));
        besideRun.Err.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_docs_anywhere_the_report_says_where_its_links_point_and_how_to_write_them()
    {
        const string host = "nodocs";
        using var repo = new TempDirectory("ledger-repo");
        await ReportHistory.ChangesAsync(_db.Store, host, repo.Path, 2);

        var (_, run) = await ReportAsync(host, "md");

        run.Err.ShouldContain($"{Path.Combine(repo.Path, "docs")}, which holds none yet: write them with 'ledger docs --out {Path.Combine(repo.Path, "docs")}'");
    }

    private static string[] Links(string file)
    {
        var text = File.ReadAllText(file);
        var urls = file.EndsWith(".html", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Matches(text, "href=\"([^\"]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))
            : Markdown.Parse(text, new MarkdownPipelineBuilder().UsePipeTables().Build()).Descendants<LinkInline>().Select(l => l.Url!);
        return urls.Where(u => !u.StartsWith('#')).ToArray();
    }
}
