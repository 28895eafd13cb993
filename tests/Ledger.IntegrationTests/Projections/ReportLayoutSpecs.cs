using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Projections;

/// <summary>
/// The HTML report as a person sees it, laid out by headless Chromium at 1280x900: a script added
/// to a copy of the page measures what the eye would check and writes it into the DOM, which
/// <c>--dump-dom</c> hands back (issue 20).
/// </summary>
public sealed partial class ReportLayoutSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Host = "layout";

    // What a reviewer would check: the contents' links land on headings, no table is wider than
    // the page, and each chart has a size and a line that moves.
    private const string Measure = """
        <script>
        (function () {
          const ids = new Set(Array.from(document.querySelectorAll('[id]'), e => e.id));
          const anchors = Array.from(document.querySelectorAll('a[href^="#"]'), a => decodeURIComponent(a.getAttribute('href').slice(1)));
          const body = document.body.getBoundingClientRect();
          const facts = {
            anchors: anchors.length,
            missing: anchors.filter(a => !ids.has(a)),
            viewport: window.innerWidth,
            pageWidth: document.documentElement.scrollWidth,
            bodyRight: body.right,
            tables: Array.from(document.querySelectorAll('table'), t => ({ right: t.getBoundingClientRect().right, scroll: t.scrollWidth, client: t.clientWidth })),
            charts: Array.from(document.querySelectorAll('svg'), s => {
              const b = s.getBoundingClientRect();
              const ys = [];
              s.querySelectorAll('polyline').forEach(p => p.getAttribute('points').trim().split(/\s+/).forEach(q => ys.push(q.split(',')[1])));
              s.querySelectorAll('circle').forEach(c => ys.push(c.getAttribute('cy')));
              s.querySelectorAll('rect').forEach(r => { if (r.getAttribute('width') !== '10') ys.push(r.getAttribute('y')); });
              return { label: s.getAttribute('aria-label'), width: b.width, height: b.height, levels: new Set(ys).size };
            }),
          };
          const out = document.createElement('pre');
          out.id = 'layout-facts';
          out.textContent = JSON.stringify(facts);
          document.body.appendChild(out);
        })();
        </script>
        """;

    private readonly DatabaseFixture _db;
    private readonly TempDirectory _dir = new("ledger-layout");

    public ReportLayoutSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    public void Dispose() => _dir.Dispose();

    [ChromiumFact(Timeout = 180_000)]
    public async Task Issue_20_in_Chromium_the_contents_links_land_tables_fit_the_page_and_every_chart_has_a_size_and_a_moving_line()
    {
        // Arrange: the golden month, 1,200 more changes (so an appendix) and one title with no place to break.
        await ProjectionHistory.SeedAsync(_db.Store, Host);
        await ReportHistory.ChangesAsync(_db.Store, Host, ProjectionHistory.Repo, 1200);
        await ReportHistory.FiredAsync(_db.Store, Host, "Disk" + new string('X', 300), "fp-long", ReportHistory.March(12));
        var file = Path.Combine(_dir.Path, "report.html");
        var run = await new CliRun(_db.ConnectionString, _dir.Path, Host).RunAsync("report", "monthly", "--month", "2026-03", "--host", Host, "--time-zone", "UTC", "--format", "html", "--out", file, "--docs", _dir.Path);
        run.ExitCode.ShouldBe(0, run.Err);

        // Act
        var facts = await LayoutAsync(file);

        // Assert
        facts.GetProperty("anchors").GetInt32().ShouldBeGreaterThanOrEqualTo(11, "ten sections, the appendix and the link to it");
        facts.GetProperty("missing").EnumerateArray().Select(a => a.GetString()).ShouldBeEmpty("every link within the page lands on an element");
        facts.GetProperty("pageWidth").GetDouble().ShouldBeLessThanOrEqualTo(facts.GetProperty("viewport").GetDouble(), "no horizontal scrolling");
        var tables = facts.GetProperty("tables").EnumerateArray().ToArray();
        tables.Length.ShouldBeGreaterThanOrEqualTo(10);
        foreach (var t in tables)
        {
            t.GetProperty("right").GetDouble().ShouldBeLessThanOrEqualTo(facts.GetProperty("bodyRight").GetDouble() + 1, t.ToString());
            t.GetProperty("scroll").GetDouble().ShouldBeLessThanOrEqualTo(t.GetProperty("client").GetDouble() + 1, t.ToString());
        }

        var charts = facts.GetProperty("charts").EnumerateArray().ToArray();
        charts.Select(c => c.GetProperty("label").GetString()).ShouldBe(
        [
            "Config changes and alerts per day", "GPU utilisation, daily mean (%)",
            "/: used, daily peak (size 100.0 GiB)", "/srv/media: used, daily peak (size 3.9 TiB)",
        ]);
        foreach (var c in charts)
        {
            c.GetProperty("width").GetDouble().ShouldBeGreaterThan(100, c.ToString());
            c.GetProperty("height").GetDouble().ShouldBeGreaterThan(50, c.ToString());
            c.GetProperty("levels").GetInt32().ShouldBeGreaterThan(1, $"a flat series: {c}");
        }
    }

    /// <summary>Lays out a copy of the page with <see cref="Measure"/> added and returns what it measured.</summary>
    private async Task<JsonElement> LayoutAsync(string html)
    {
        var copy = Path.Combine(_dir.Path, "measured.html");
        var text = await File.ReadAllTextAsync(html);
        await File.WriteAllTextAsync(copy, text.Replace("</body>", Measure + "</body>", StringComparison.Ordinal));
        var psi = new ProcessStartInfo(ChromiumFactAttribute.Binary!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", $"--user-data-dir={Path.Combine(_dir.Path, "profile")}", "--dump-dom", new Uri(copy).AbsoluteUri })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var dom = await p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }

        var found = Facts().Match(dom);
        found.Success.ShouldBeTrue($"chromium exited {p.ExitCode} without the measurements: {await stderr}");
        return JsonDocument.Parse(WebUtility.HtmlDecode(found.Groups[1].Value)).RootElement.Clone();
    }

    [GeneratedRegex("<pre id=\"layout-facts\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex Facts();
}
