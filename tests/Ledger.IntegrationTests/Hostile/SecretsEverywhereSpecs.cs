using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.Core.Tests;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Serve;
using Ledger.IntegrationTests.Support;
using Npgsql;

namespace Ledger.IntegrationTests.Hostile;

/// <summary>
/// Issue 15: the corpus of realistic secrets goes through every way text enters Ledger (import,
/// the hook with purpose and notes, annotations, the webhook) and every way it comes out
/// (timeline, show, --json, the TUI's rows and details, docs, the monthly report, the logs, a dump
/// of the database), and no
/// secret is found anywhere.
/// </summary>
public sealed partial class SecretsEverywhereSpecs : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Host = "secret-host";
    private readonly DatabaseFixture _db;
    private readonly TempDirectory _home = new("ledger-secrets");
    private readonly TempDirectory _out = new("ledger-secrets-out");
    private readonly GitRepo _repo = new();

    public SecretsEverywhereSpecs(DatabaseFixture db)
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

    /// <summary>
    /// What is looked for: the longest run of letters and digits of each secret (8 or more), so a
    /// secret that comes out escaped for Markdown, HTML or JSON is still found.
    /// </summary>
    private static List<(string Sample, string Probe)> Probes() =>
        SecretSamples.All
            .SelectMany(s => s.Secrets.Select(secret => (s.Name, Probe: AlphaNumeric().Matches(secret).Select(m => m.Value).MaxBy(v => v.Length) ?? "")))
            .Where(p => p.Probe.Length >= 8)
            .ToList();

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex AlphaNumeric();

    [Fact(Timeout = 300_000)]
    public async Task No_secret_of_the_corpus_is_found_in_any_output_the_database_or_the_logs_issue_15()
    {
        SecretSamples.All.Count.ShouldBeGreaterThanOrEqualTo(60);
        var cli = Cli;

        // In: files in commits (diff lines), commit messages, the hook's purpose and notes.
        var samples = SecretSamples.All;
        for (int i = 0; i < samples.Count; i += 10)
        {
            foreach (var (s, n) in samples.Skip(i).Take(10).Select((s, n) => (s, n)))
            {
                _repo.Write($"hosts/media/secret{i + n:000}.nix", s.Text + "\n");
            }

            _repo.Commit($"Add settings {i}\n\n{samples[i].Text}");
        }

        (await cli.RunAsync("import-git", "--repo", _repo.Path)).ExitCode.ShouldBe(0);
        foreach (var (s, n) in samples.Select((s, n) => (s, n)).Where(x => x.n % 9 == 0))
        {
            _repo.Write($"notes/n{n:000}.txt", $"edit {n}\n");
            var sha = _repo.Commit($"Edit {n}");
            var hook = await cli.RunAsync("record", "commit", sha, "--repo", _repo.Path, "--purpose", s.Text, "--notes", samples[(n + 1) % samples.Count].Text);
            hook.ExitCode.ShouldBe(0, hook.Err);
        }

        // In: annotations.
        var edits = await _db.Store.TimelineAsync(new TimelineQuery { Host = Host, Kinds = ["config-edit"], Limit = null });
        foreach (var (s, n) in samples.Select((s, n) => (s, n)).Where(x => x.n % 7 == 0))
        {
            var seq = edits[n % edits.Count].Seq.ToString(CultureInfo.InvariantCulture);
            var run = await cli.RunAsync("annotate", seq, "--purpose", s.Text, "--notes", s.Text, "--validation", s.Text);
            run.ExitCode.ShouldBe(0, run.Err);
        }

        // In: an alert whose annotations and labels carry the corpus.
        await using (var serve = await TestServe.StartAsync(_db.Store, _home.Path, Host))
        {
            var annotations = samples.Select((s, n) => ($"a{n}", s.Text)).ToDictionary(x => x.Item1, x => x.Text);
            var body = JsonSerializer.Serialize(new
            {
                receiver = "ledger",
                status = "firing",
                version = "4",
                truncatedAlerts = 0,
                groupKey = "{}",
                externalURL = "http://am.example:9093",
                groupLabels = new Dictionary<string, string>(),
                commonLabels = new Dictionary<string, string>(),
                commonAnnotations = new Dictionary<string, string>(),
                alerts = new[]
                {
                    new
                    {
                        status = "firing",
                        labels = new Dictionary<string, string> { ["alertname"] = "SecretLeak", ["instance"] = "127.0.0.1:9100", ["job"] = samples[3].Text },
                        annotations,
                        startsAt = "2026-01-02T09:15:02Z", endsAt = "0001-01-01T00:00:00Z", generatorURL = "http://prometheus.example:9090/graph", fingerprint = "5ec2e75ec2e75ec2",
                    },
                },
            });
            var response = await serve.PostAlertsAsync(body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        // Out: every listing and every event in text and JSON, the docs, the report, the logs, the database.
        var outputs = new List<(string Where, string Text)>();
        async Task Capture(string where, params string[] args)
        {
            var run = await cli.RunAsync(args);
            run.ExitCode.ShouldBe(0, $"{where}: {run.Err}");
            outputs.Add((where, run.Out + run.Err));
        }

        await Capture("timeline", "timeline", "--all");
        await Capture("timeline --json", "timeline", "--all", "--json");
        foreach (var e in await _db.Store.TimelineAsync(new TimelineQuery { Host = Host, Limit = null }))
        {
            var seq = e.Seq.ToString(CultureInfo.InvariantCulture);
            await Capture($"show {seq}", "show", seq);
            await Capture($"show {seq} --json", "show", seq, "--json");
        }

        // The TUI: every timeline row and every event's details, as its view models give them to the screen.
        var timeline = new Ledger.Cli.Tui.ViewModels.TimelineViewModel(_db.Store, Host, TimeZoneInfo.Utc);
        await timeline.ReloadAsync();
        while (timeline.NeedsMore)
        {
            timeline.Select(timeline.Rows.Count - 1);
            await timeline.LoadMoreAsync();
        }

        timeline.Rows.Count.ShouldBe((await _db.Store.TimelineAsync(new TimelineQuery { Host = Host, Limit = null })).Count);
        outputs.Add(("TUI timeline", string.Join('\n', timeline.Rows.Select(timeline.RowText))));
        foreach (var row in timeline.Rows)
        {
            var details = await Ledger.Cli.Tui.ViewModels.DetailsViewModel.LoadAsync(_db.Store, row, TimeZoneInfo.Utc);
            outputs.Add(($"TUI details #{row.Seq}", details.Title + "\n" + string.Join('\n', details.Lines.Select(l => l.Text))));
        }

        var docs = Path.Combine(_out.Path, "docs");
        (await cli.RunAsync("docs", "--out", docs, "--time-zone", "UTC")).ExitCode.ShouldBe(0);
        foreach (var format in new[] { "md", "html", "json" })
        {
            var report = Path.Combine(_out.Path, "report." + format);
            (await cli.RunAsync("report", "monthly", "--month", "2026-01", "--time-zone", "UTC", "--format", format, "--out", report, "--docs", docs)).ExitCode.ShouldBe(0);
        }

        foreach (var file in Directory.GetFiles(_out.Path, "*", SearchOption.AllDirectories).Concat(Directory.GetFiles(Path.Combine(_home.Path, "logs"), "*", SearchOption.AllDirectories)))
        {
            outputs.Add((file, await File.ReadAllTextAsync(file)));
        }

        outputs.Add(("database", await DumpAsync()));

        var leaks = (from o in outputs from p in Probes() where o.Text.Contains(p.Probe, StringComparison.Ordinal) select $"{p.Sample} ({p.Probe}) in {o.Where}").Distinct().ToList();
        leaks.ShouldBeEmpty();
        outputs.Single(o => o.Where == "database").Text.ShouldContain("[REDACTED:");
    }

    /// <summary>Every text and JSON column of every table of the ledger's schema, as a dump would hold them.</summary>
    private async Task<string> DumpAsync()
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var cmd = new NpgsqlCommand(
            "select table_schema || '.' || table_name, column_name from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema') and data_type in ('text', 'jsonb', 'json', 'character varying')",
            conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var dump = new System.Text.StringBuilder();
        foreach (var (table, column) in columns)
        {
            await using var cmd = new NpgsqlCommand($"select string_agg(\"{column}\"::text, E'\\n') from {table}", conn);
            dump.AppendLine(await cmd.ExecuteScalarAsync() as string);
        }

        return dump.ToString();
    }
}
