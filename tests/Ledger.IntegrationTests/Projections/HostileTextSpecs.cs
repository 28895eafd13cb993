using System.Globalization;
using System.Text.Json;
using Ledger.App.Reports;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Ledger.IntegrationTests.Projections;

/// <summary>
/// Issue 7: hostile text in commit messages, annotations and alerts comes out of every renderer
/// inert (ledger docs; ledger report monthly in md, html and json) and still readable.
/// </summary>
public sealed class HostileTextSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Host = "hostile-host";
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-hostile");
    private readonly TempDirectory _out = new("ledger-hostile-out");
    private readonly GitRepo _repo = new();

    public HostileTextSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose()
    {
        _repo.Dispose();
        _out.Dispose();
        _home.Dispose();
    }

    private CliRun Cli => new(_db.ConnectionString, _home.Path, Host);

    [Fact]
    public async Task Hostile_text_is_inert_and_readable_in_docs_and_in_every_report_format_issue_7()
    {
        await RecordCorpusAsync();
        var docs = Path.Combine(_out.Path, "docs");
        var reports = Path.Combine(_out.Path, "reports");
        Directory.CreateDirectory(reports);

        var docsRun = await Cli.RunAsync("docs", "--out", docs, "--time-zone", "UTC");
        docsRun.ExitCode.ShouldBe(0, docsRun.Err);
        foreach (var format in new[] { "md", "html", "json" })
        {
            var run = await Cli.RunAsync("report", "monthly", "--month", "2026-01", "--time-zone", "UTC", "--format", format, "--out", Path.Combine(reports, "report." + format), "--docs", docs);
            run.ExitCode.ShouldBe(0, run.Err);
        }

        // No control character in any file, whatever the format.
        foreach (var file in Directory.GetFiles(_out.Path, "*", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file);
            var bad = text.Where(HostileText.IsForbidden).Select(c => $"U+{(int)c:X4}").Distinct().ToList();
            bad.ShouldBeEmpty($"{file} holds control characters");
        }

        // Markdown: the text is there, escaped, and adds no structure (headings, HTML, links, images, code blocks).
        var changeDocs = Directory.GetFiles(docs, "*.md").Where(f => !f.EndsWith("INDEX.md", StringComparison.Ordinal)).ToList();
        changeDocs.Count.ShouldBe(HostileText.All.Length);
        var all = string.Join("\n", changeDocs.Select(File.ReadAllText));
        all.ShouldContain("Clear ␛\\[2J␛\\[H the screen and ␛\\]0;pwned␇ retitle the window");
        all.ShouldContain("Invoice \\[U+202E\\]gpj.exe and \\[U+2066\\]isolate\\[U+2069\\] text");
        all.ShouldContain("\\<script\\>alert('x')\\</script\\>");
        all.ShouldContain("\\[click me\\](javascript:alert(1)) and !\\[tracker\\](http://evil.example/x.png)");
        all.ShouldContain("a \\| b \\| c");
        all.ShouldContain("Colour \\[U+009B\\]31m red");
        foreach (var file in changeDocs)
        {
            var doc = Markdown.Parse(await File.ReadAllTextAsync(file), ReportPipeline);
            doc.Descendants<HeadingBlock>().Count().ShouldBe(1, file);
            doc.Descendants<HtmlBlock>().ShouldBeEmpty(file);
            doc.Descendants<HtmlInline>().ShouldBeEmpty(file);
            doc.Descendants<HtmlEntityInline>().ShouldBeEmpty(file);
            doc.Descendants<LinkInline>().ShouldBeEmpty(file);
            doc.Descendants<CodeBlock>().ShouldBeEmpty(file);
            doc.Descendants<QuoteBlock>().ShouldBeEmpty(file);
            doc.Descendants<Markdig.Extensions.Tables.Table>().ShouldBeEmpty(file);
        }

        var index = Markdown.Parse(await File.ReadAllTextAsync(Path.Combine(docs, "INDEX.md")), ReportPipeline);
        index.Descendants<LinkInline>().Count().ShouldBe(HostileText.All.Length);
        index.Descendants<HtmlInline>().ShouldBeEmpty();

        var md = await File.ReadAllTextAsync(Path.Combine(reports, "report.md"));
        var report = Markdown.Parse(md, ReportPipeline);
        report.Descendants<HtmlInline>().ShouldBeEmpty();
        report.Descendants<HtmlBlock>().ShouldBeEmpty();
        report.Descendants<HeadingBlock>().Where(h => h.Level == 1).Count().ShouldBe(1);
        md.ShouldContain("Disk\\<script\\>");

        var html = await File.ReadAllTextAsync(Path.Combine(reports, "report.html"));
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<img", Case.Insensitive);
        html.ShouldContain("&lt;script&gt;");

        // JSON is data: the recorded text comes back exactly, with the dangerous characters as \u escapes.
        var json = await File.ReadAllTextAsync(Path.Combine(reports, "report.json"));
        json.ShouldNotContain("<script", Case.Insensitive);
        var titles = JsonDocument.Parse(json).RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("title").GetString()).ToList();
        titles.ShouldContain(HostileText.Bidi);
        titles.ShouldContain(HostileText.Script);

        // Same events, same bytes.
        var before = Directory.GetFiles(docs).ToDictionary(f => f, File.ReadAllBytes);
        (await Cli.RunAsync("docs", "--out", docs, "--time-zone", "UTC")).ExitCode.ShouldBe(0);
        foreach (var (file, bytes) in before)
        {
            (await File.ReadAllBytesAsync(file)).ShouldBe(bytes, file);
        }
    }

    private static readonly MarkdownPipeline ReportPipeline = ReportRenderer.Html;

    private async Task RecordCorpusAsync()
    {
        for (int i = 0; i < HostileText.All.Length; i++)
        {
            _repo.Write($"modules/m{i}.nix", $"{{ x = {i}; }}\n");
            // The hostile text is the title (first line) of one commit each.
            _repo.Commit(HostileText.All[i]);
        }

        var import = await Cli.RunAsync("import-git", "--repo", _repo.Path);
        import.ExitCode.ShouldBe(0, import.Err);

        // Annotate one change with every hostile text as its purpose and notes.
        var first = (await _db.ScalarAsync($"select min(seq_id) from ledger.mt_events where type = 'config_edited' and data->>'host' = '{Host}'"))!;
        var seq = Convert.ToString(first, CultureInfo.InvariantCulture)!;
        foreach (var text in HostileText.All)
        {
            var annotate = await Cli.RunAsync("annotate", seq, "--purpose", text, "--notes", text);
            annotate.ExitCode.ShouldBe(0, annotate.Err);
        }

        // An alert whose name, severity and annotations are hostile, still open at the end of the month.
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        await _db.Store.AppendAsync(new NewEvent(
            StreamKeys.AlertOccurrence(Host, "fp-hostile", at, "firing"),
            new AlertFired(
                Host,
                "alertmanager",
                "Disk<script>alert(1)</script>\u001b[31m",
                "fp-hostile",
                at,
                "critical\u202E | # x",
                new Dictionary<string, string> { ["alertname"] = "Disk" },
                new Dictionary<string, string> { ["summary"] = HostileText.Structure, ["description"] = HostileText.ClearScreen },
                null),
            at));
    }
}
