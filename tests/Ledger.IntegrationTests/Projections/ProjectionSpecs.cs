using Ledger.App.ChangeDocs;
using Ledger.IntegrationTests.Support;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Ledger.IntegrationTests.Projections;

public sealed class ProjectionSpecs : IClassFixture<ProjectionFixture>, IDisposable
{
    private const string Zone = "Europe/Berlin";
    private readonly ProjectionFixture _fixture;
    private readonly TempDirectory _home = new("ledger-proj");
    private readonly TempDirectory _out = new("ledger-out");

    public ProjectionSpecs(ProjectionFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose()
    {
        _out.Dispose();
        _home.Dispose();
    }

    private CliRun Cli => new(_fixture.Db.ConnectionString, _home.Path, ProjectionFixture.Golden);

    private async Task<string> DocsAsync(string host, string? dir = null)
    {
        dir ??= Path.Combine(_out.Path, "docs");
        var run = await Cli.RunAsync("docs", "--out", dir, "--host", host, "--time-zone", Zone);
        run.ExitCode.ShouldBe(0, run.Err);
        return dir;
    }

    private async Task<string> ReportAsync(string month, string format, string? host = null, string? zone = Zone)
    {
        var file = Path.Combine(_out.Path, "reports", $"report-{month}.{format}");
        var args = new List<string> { "report", "monthly", "--month", month, "--host", host ?? ProjectionFixture.Golden, "--format", format, "--out", file, "--docs", Path.Combine(_out.Path, "docs") };
        if (zone is not null)
        {
            args.AddRange(["--time-zone", zone]);
        }

        var run = await Cli.RunAsync([.. args]);
        run.ExitCode.ShouldBe(0, run.Err);
        return file;
    }

    [Fact]
    public async Task Docs_and_the_monthly_report_match_the_golden_files()
    {
        var docs = await DocsAsync(ProjectionFixture.Golden);
        foreach (var format in new[] { "md", "html", "json" })
        {
            await ReportAsync("2026-03", format);
        }

        // examples/reports/ sits beside examples/docs/, so the report's links resolve there too.
        Golden.Compare(docs, "docs");
        Golden.Compare(Path.Combine(_out.Path, "reports"), "reports");
    }

    [Fact]
    public async Task A_second_run_changes_no_byte_and_rewrites_nothing()
    {
        var docs = await DocsAsync(ProjectionFixture.Golden);
        var first = Directory.GetFiles(docs, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var stamps = first.Keys.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var again = await Cli.RunAsync("docs", "--out", docs, "--host", ProjectionFixture.Golden, "--time-zone", Zone);

        again.ExitCode.ShouldBe(0, again.Err);
        again.Out.ShouldContain("0 written, 6 unchanged, 0 removed");
        var second = Directory.GetFiles(docs, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        second.Keys.Order().ShouldBe(first.Keys.Order());
        foreach (var (f, bytes) in first)
        {
            second[f].ShouldBe(bytes, f);
            File.GetLastWriteTimeUtc(f).ShouldBe(stamps[f], f);
        }
    }

    [Fact]
    public async Task Every_doc_has_the_six_labels_and_reads_back_through_Markdig()
    {
        var docs = await DocsAsync(ProjectionFixture.Golden);
        var files = Directory.GetFiles(docs, "2026-*.md");

        files.Length.ShouldBe(5);
        foreach (var f in files)
        {
            var text = await File.ReadAllTextAsync(f);
            text.ShouldStartWith("### ");
            foreach (var label in new[] { "- **Date**:", "- **Purpose**:", "- **Files/Lines Modified**:", "- **How to Roll Back**:", "- **Validation**:", "- **Notes**:" })
            {
                text.ShouldContain("\n" + label, Case.Sensitive, $"{f} lacks {label}");
            }

            var (parsed, problems) = ChangeDocParser.Parse(Path.GetFileName(f), text);
            problems.ShouldBeEmpty();
            parsed.ShouldHaveSingleItem().Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(Path.GetFileName(f)[..10]);
        }

        // Markdown syntax in a commit message stays text.
        var odd = ChangeDocParser.Parse("c", await File.ReadAllTextAsync(Directory.GetFiles(docs, "*-c0ffee00-*.md").Single())).Docs.Single();
        odd.Title.ShouldBe("Try [experimental] | pipes & *stars* in a message");
    }

    [Fact]
    public async Task A_change_without_validation_says_not_validated_and_a_validated_one_lists_its_runs()
    {
        var docs = await DocsAsync(ProjectionFixture.Golden);

        var c = await File.ReadAllTextAsync(Directory.GetFiles(docs, "*-c0ffee00-*.md").Single());
        var b = await File.ReadAllTextAsync(Directory.GetFiles(docs, "*-b0b0b0b0-*.md").Single());
        var b2 = await File.ReadAllTextAsync(Directory.GetFiles(docs, "*-b2b2b2b2-*.md").Single());

        c.ShouldContain("- **Validation**: not validated\n");
        b.ShouldContain("  - pass, 2026-03-14 10:40: 2 of 2 checks passed");
        b.ShouldContain("  - manual, 2026-04-02 10:00: Played a 4K HEVC file");
        b2.ShouldContain("  - fail, 2026-03-14 17:00: 0 of 1 check passed; failed: containers");
        b.ShouldContain("- **How to Roll Back**: `ledger restore --to ");
        b.ShouldContain($"This change is commit `{ProjectionHistory.ShaB}`.");
    }

    [Fact]
    public async Task An_annotation_recorded_after_the_docs_were_written_changes_only_that_doc()
    {
        var docs = await DocsAsync(ProjectionFixture.Late);
        var before = Directory.GetFiles(docs).ToDictionary(f => f, File.ReadAllBytes);
        var target = Directory.GetFiles(docs, "*-c0ffee00-*.md").Single();
        var seq = await _fixture.Db.Store.FirstSeqOfStreamAsync(Ledger.Core.Events.StreamKeys.Commit(ProjectionFixture.Late, ProjectionHistory.Repo, ProjectionHistory.ShaC));
        var annotate = await new CliRun(_fixture.Db.ConnectionString, _home.Path, ProjectionFixture.Late).RunAsync("annotate", seq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--purpose", "Try a new module layout", "--notes", "See ADR 7");
        annotate.ExitCode.ShouldBe(0, annotate.Err);

        await DocsAsync(ProjectionFixture.Late, docs);

        var text = await File.ReadAllTextAsync(target);
        text.ShouldContain("- **Purpose**: Try a new module layout\n");
        text.ShouldContain("  - See ADR 7 (");
        foreach (var (f, bytes) in before.Where(kv => kv.Key != target))
        {
            File.ReadAllBytes(f).ShouldBe(bytes, f);
        }
    }

    [Fact]
    public async Task Only_files_Ledger_wrote_are_removed_and_a_hand_written_file_is_never_overwritten()
    {
        var docs = Path.Combine(_out.Path, "mixed");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "2025-12-01-notes-by-hand.md"), "mine\n");
        await File.WriteAllTextAsync(Path.Combine(docs, "INDEX.md"), "my own index\n");

        var first = await Cli.RunAsync("docs", "--out", docs, "--host", ProjectionFixture.Golden, "--time-zone", Zone);
        first.ExitCode.ShouldBe(1);
        first.Err.ShouldContain("INDEX.md exists and was not written by Ledger");
        (await File.ReadAllTextAsync(Path.Combine(docs, "INDEX.md"))).ShouldBe("my own index\n");

        File.Delete(Path.Combine(docs, "INDEX.md"));
        (await Cli.RunAsync("docs", "--out", docs, "--host", ProjectionFixture.Golden, "--time-zone", Zone)).ExitCode.ShouldBe(0);
        // A doc Ledger wrote but no longer produces (here: under another name, as after a time zone change).
        var utc = await Cli.RunAsync("docs", "--out", docs, "--host", ProjectionFixture.Golden, "--time-zone", "UTC");

        utc.ExitCode.ShouldBe(0, utc.Err);
        utc.Out.ShouldContain("removed 2026-04-01-d00dd00d-raise-the-prometheus-retention.md");
        File.Exists(Path.Combine(docs, "2026-03-31-d00dd00d-raise-the-prometheus-retention.md")).ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(docs, "2025-12-01-notes-by-hand.md"))).ShouldBe("mine\n");
    }

    [Fact]
    public async Task Every_link_in_the_index_and_the_report_resolves_to_a_produced_file()
    {
        var docs = await DocsAsync(ProjectionFixture.Golden);
        var files = new[] { Path.Combine(docs, "INDEX.md"), await ReportAsync("2026-03", "md"), await ReportAsync("2026-03", "html"), await ReportAsync("2026-04", "md") };

        int links = 0;
        foreach (var f in files)
        {
            foreach (var url in Links(f))
            {
                links++;
                File.Exists(Path.Combine(Path.GetDirectoryName(f)!, Uri.UnescapeDataString(url))).ShouldBeTrue($"{url} in {f}");
            }
        }

        links.ShouldBe(5 + 4 + 4 + 1, "INDEX.md links every doc; March has 4 changes in Berlin, April 1");
    }

    [Fact]
    public async Task Month_boundaries_follow_the_host_time_zone_across_a_DST_change()
    {
        var march = await File.ReadAllTextAsync(await ReportAsync("2026-03", "md"));
        var april = await File.ReadAllTextAsync(await ReportAsync("2026-04", "md"));
        var marchUtc = await File.ReadAllTextAsync(await ReportAsync("2026-03", "json", zone: "UTC"));

        march.ShouldContain("From 2026-03-01 00:00 to 2026-04-01 00:00 (Europe/Berlin)");
        march.ShouldContain("| Config changes | 4 | 0 | +4 |");
        march.ShouldContain("2026-03-29 | `c0ffee00`", Case.Sensitive, "00:30 UTC on the DST day is 01:30 CET, still 29 March");
        march.ShouldNotContain("d00dd00d");
        april.ShouldContain("2026-04-01 | `d00dd00d`");
        april.ShouldContain("| Config changes | 1 | 4 | -3 |");
        marchUtc.ShouldContain("\"shortSha\": \"d00dd00d\"");
    }

    [Fact]
    public async Task The_report_has_every_section_and_they_say_so_when_a_month_has_no_data()
    {
        var march = await File.ReadAllTextAsync(await ReportAsync("2026-03", "md"));
        var empty = await File.ReadAllTextAsync(await ReportAsync("2025-06", "md"));
        var emptyHtml = await File.ReadAllTextAsync(await ReportAsync("2025-06", "html"));
        var emptyJson = await File.ReadAllTextAsync(await ReportAsync("2025-06", "json"));

        string[] sections = ["## Summary", "## Changes", "## Deploys, rollbacks and restores", "## Validations", "## Alerts", "## GPU", "## Containers", "## Storage", "## Backups", "## Review checklist"];
        foreach (var s in sections)
        {
            march.ShouldContain(s);
            empty.ShouldContain(s);
        }

        march.ShouldContain("| DiskIOHigh | 3 | 3 | 0 | 5m 00s |");
        march.ShouldContain("- DiskIOHigh: 3 cycles within the window");
        march.ShouldContain("- GpuHot (warning), firing since 2026-03-30 20:00");
        march.ShouldContain("| JellyfinDown | 1 | 1 | 0 | 1h 30m |");
        march.ShouldContain("| 0 NVIDIA L40S | 3 | 41.7 % | 80.0 % | 80.0 % |");
        march.ShouldContain("| jellyfin | 4 | 0 | 0 | 1 |");
        march.ShouldContain("| radarr | 4 | 3 | 0 | 0 |");
        march.ShouldContain("### cold");
        march.ShouldContain("| `/srv/media` | 2.9 TiB | 3.8 TiB | 3.8 TiB | 3.9 TiB | +30.0 GiB/day | 3 |");
        march.ShouldContain("| `/etc/nixos/configuration.nix` |");
        march.ShouldContain("**stale**");
        march.ShouldContain("- [ ] Free space or grow: /srv/media projected full within 30 days.");

        foreach (var none in new[] { "No config changes were recorded this month.", "No deploys were recorded this month.", "No restores were recorded this month.", "No validations were run this month.", "No alert fired this month.", "No GPU snapshots were recorded this month.", "No container snapshots were recorded this month.", "No storage snapshots were recorded this month.", "No backups were recorded up to the end of the month." })
        {
            empty.ShouldContain(none);
        }

        emptyHtml.ShouldStartWith("<!DOCTYPE html>");
        emptyHtml.ShouldNotContain("<svg");
        System.Text.Json.JsonDocument.Parse(emptyJson).RootElement.GetProperty("changes").GetArrayLength().ShouldBe(0);
        (await File.ReadAllTextAsync(await ReportAsync("2026-03", "html"))).ShouldContain("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    }

    [Fact]
    public async Task Markdig_parses_every_output_into_the_expected_structure()
    {
        var docs = await DocsAsync(ProjectionFixture.Golden);
        foreach (var f in Directory.GetFiles(docs, "*.md"))
        {
            var doc = Markdown.Parse(await File.ReadAllTextAsync(f));
            doc.Descendants<HeadingBlock>().ShouldNotBeEmpty(f);
            doc.Descendants<ListBlock>().ShouldNotBeEmpty(f);
        }

        var report = Markdown.Parse(await File.ReadAllTextAsync(await ReportAsync("2026-03", "md")), new MarkdownPipelineBuilder().UsePipeTables().UseTaskLists().Build());
        report.Descendants<HeadingBlock>().Count(h => h.Level == 2).ShouldBe(10);
        report.Descendants<Markdig.Extensions.Tables.Table>().Count().ShouldBeGreaterThanOrEqualTo(9);
    }

    [Fact]
    public async Task A_template_in_the_templates_folder_replaces_the_embedded_one()
    {
        var templates = Path.Combine(_out.Path, "templates");
        Directory.CreateDirectory(templates);
        await File.WriteAllTextAsync(Path.Combine(templates, "index.md.liquid"), "{{ index.host }}: {{ index.count }} changes\n");
        var docs = Path.Combine(_out.Path, "custom");

        var run = await Cli.RunAsync("docs", "--out", docs, "--host", ProjectionFixture.Golden, "--time-zone", Zone, "--templates", templates);

        run.ExitCode.ShouldBe(0, run.Err);
        (await File.ReadAllTextAsync(Path.Combine(docs, "INDEX.md"))).ShouldBe("golden: 5 changes\n");
        (await File.ReadAllTextAsync(Directory.GetFiles(docs, "*-b0b0b0b0-*.md").Single())).ShouldStartWith("### Enable NVIDIA transcoding for Jellyfin\n");
    }

    private static string[] Links(string file)
    {
        var text = File.ReadAllText(file);
        if (file.EndsWith(".html", StringComparison.Ordinal))
        {
            return System.Text.RegularExpressions.Regex.Matches(text, "href=\"([^\"#]+)\"").Select(m => m.Groups[1].Value).ToArray();
        }

        // Links within the report (its table of contents) are checked by ReportLayoutSpecs.
        return Markdown.Parse(text, new MarkdownPipelineBuilder().UsePipeTables().Build()).Descendants<LinkInline>().Select(l => l.Url!).Where(u => !u.StartsWith('#')).ToArray();
    }
}
