using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;
using Ledger.Store;

namespace Ledger.IntegrationTests;

/// <summary>The timeline over a store holding several hosts and kinds, appended through the real store API.</summary>
public sealed class TimelineSpecs : IClassFixture<TimelineSpecs.Seeded>, IDisposable
{
    private readonly Seeded _seeded;
    private readonly TempDirectory _home = new("ledger-home");

    public TimelineSpecs(Seeded seeded)
    {
        _seeded = seeded;
    }

    public void Dispose() => _home.Dispose();

    private CliRun Cli => new(_seeded.Db.ConnectionString, _home.Path);

    /// <summary>
    /// 120 config edits on "alpha" one hour apart from 2026-03-01, with a validation and an alert on
    /// "beta" after every tenth, so pages, kinds, hosts and dates all have boundaries to cross.
    /// </summary>
    public sealed class Seeded : IAsyncLifetime
    {
        public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        public DatabaseFixture Db { get; } = new();

        public async Task InitializeAsync()
        {
            await Db.InitializeAsync();
            var events = new List<NewEvent>();
            for (int i = 0; i < 120; i++)
            {
                var at = Start.AddHours(i);
                var sha = $"{i:x4}".PadRight(40, 'a');
                var purpose = i == 77 ? "Enable NVIDIA persistence mode" : $"Change number {i}";
                events.Add(new NewEvent(
                    StreamKeys.Commit("alpha", "/etc/nixos", sha),
                    new ConfigEdited("alpha", "alice", "/etc/nixos", sha, [], "Alice", "alice@example.org", at, purpose + "\n", purpose, [], 0, 0),
                    at));
                if (i % 10 == 9)
                {
                    events.Add(new NewEvent(
                        StreamKeys.Validations("beta"),
                        new ValidationRun("beta", "ledger", "containers", "containers", ValidationStatus.Pass, 12, "all running", [], null, false, sha),
                        at.AddMinutes(30)));
                    events.Add(new NewEvent(
                        StreamKeys.Alert("beta", $"fp{i}"),
                        new AlertFired("beta", "alertmanager", "GpuTemperatureHigh", $"fp{i}", at, "warning", new Dictionary<string, string> { ["alertname"] = "GpuTemperatureHigh", ["Instance"] = "mediabox:9835" }, new Dictionary<string, string>(), null),
                        at.AddMinutes(31)));
                }
            }

            foreach (var e in events)
            {
                await Db.Store.AppendAsync(e);
            }
        }

        public Task DisposeAsync() => Db.DisposeAsync();
    }

    private static List<JsonElement> Parse(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();

    [Fact]
    public async Task Timeline_lists_newest_first_with_the_documented_json_fields()
    {
        var run = await Cli.RunAsync("timeline", "--limit", "5", "--json");

        run.ExitCode.ShouldBe(0, run.Err);
        var rows = Parse(run.Out);
        rows.Count.ShouldBe(5);
        var seqs = rows.Select(r => r.GetProperty("seq").GetInt64()).ToList();
        seqs.ShouldBe(seqs.OrderDescending().ToList());
        seqs[0].ShouldBe(144, "120 edits + 12 validations + 12 alerts");
        foreach (var name in new[] { "seq", "timestamp", "host", "actor", "kind", "title", "data" })
        {
            rows[0].TryGetProperty(name, out _).ShouldBeTrue(name);
        }

        rows[0].GetProperty("kind").GetString().ShouldBe("alert");
        rows[0].GetProperty("timestamp").GetString().ShouldBe("2026-03-05T23:31:00.000Z");
    }

    [Fact]
    public async Task Kind_and_host_filters_combine()
    {
        var edits = Parse((await Cli.RunAsync("timeline", "--kind", "config-edit", "--all", "--json")).Out);
        var beta = Parse((await Cli.RunAsync("timeline", "--host", "beta", "--all", "--json")).Out);
        var betaValidations = Parse((await Cli.RunAsync("timeline", "--host", "beta", "--kind", "validation", "--all", "--json")).Out);
        var two = Parse((await Cli.RunAsync("timeline", "--kind", "validation", "--kind", "alert", "--all", "--json")).Out);
        var none = Parse((await Cli.RunAsync("timeline", "--host", "alpha", "--kind", "alert", "--json")).Out);

        edits.Count.ShouldBe(120);
        edits.ShouldAllBe(r => r.GetProperty("kind").GetString() == "config-edit");
        beta.Count.ShouldBe(24);
        betaValidations.Count.ShouldBe(12);
        two.Count.ShouldBe(24);
        none.ShouldBeEmpty();
    }

    [Fact]
    public async Task Since_and_until_take_whole_days_and_timestamps()
    {
        // 2026-03-02 holds hours 24..47 of the edits: 24 edits, plus the validations/alerts after edits 29 and 39.
        var day = Parse((await Cli.RunAsync("timeline", "--host", "alpha", "--since", "2026-03-02T00:00:00Z", "--until", "2026-03-02T23:59:59Z", "--all", "--json")).Out);
        var after = Parse((await Cli.RunAsync("timeline", "--kind", "config-edit", "--since", "2026-03-05T20:00:00Z", "--all", "--json")).Out);

        day.Count.ShouldBe(24);
        day.Select(r => JsonSerializer.Deserialize<ConfigEdited>(r.GetProperty("data").GetRawText(), EventJson.Options)!.Purpose)
            .ShouldContain("Change number 24");
        after.Count.ShouldBe(4, "hours 116..119");
    }

    [Fact]
    public async Task Grep_searches_payload_text_case_insensitively()
    {
        var run = await Cli.RunAsync("timeline", "--grep", "nvidia PERSISTENCE", "--json");

        var row = Parse(run.Out).ShouldHaveSingleItem();
        row.GetProperty("title").GetString()!.ShouldContain("Enable NVIDIA persistence mode");
    }

    [Fact]
    public async Task Grep_matches_values_not_json_keys_or_quotes_issue_15()
    {
        // Every config edit's payload holds "authorEmail": "alice@example.org"; the quotes and the key are JSON, not text.
        var key = await Cli.RunAsync("timeline", "--grep", "authorEmail", "--json");
        var quote = await Cli.RunAsync("timeline", "--grep", "\"", "--json");
        var value = await Cli.RunAsync("timeline", "--grep", "ALICE@example.org", "--limit", "500", "--json");
        var label = await Cli.RunAsync("timeline", "--grep", "mediabox:9835", "--limit", "500", "--json");

        key.ExitCode.ShouldBe(0, key.Err);
        Parse(key.Out).ShouldBeEmpty();
        Parse(quote.Out).ShouldBeEmpty();
        Parse(value.Out).Count.ShouldBe(120);
        Parse(label.Out).Count.ShouldBe(12);
    }

    [Fact]
    public async Task Paging_with_before_walks_every_row_exactly_once_across_page_boundaries()
    {
        var seen = new List<long>();
        long? before = null;
        for (int page = 0; page < 100; page++)
        {
            var args = new List<string> { "timeline", "--kind", "config-edit", "--limit", "7", "--json" };
            if (before is { } b)
            {
                args.AddRange(["--before", b.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            var rows = Parse((await Cli.RunAsync([.. args])).Out);
            if (rows.Count == 0)
            {
                break;
            }

            rows.Count.ShouldBeLessThanOrEqualTo(7);
            seen.AddRange(rows.Select(r => r.GetProperty("seq").GetInt64()));
            before = seen[^1];
        }

        seen.Count.ShouldBe(120);
        seen.Distinct().Count().ShouldBe(120);
        seen.ShouldBe(seen.OrderDescending().ToList());
    }

    [Fact]
    public async Task All_reads_past_the_internal_page_size_in_order()
    {
        var all = await _seeded.Db.Store.TimelineAsync(new TimelineQuery { Limit = null });
        var viaCli = Parse((await Cli.RunAsync("timeline", "--all", "--json")).Out);

        viaCli.Count.ShouldBe(144);
        viaCli.Select(r => r.GetProperty("seq").GetInt64()).ShouldBe(all.Select(e => e.Seq));
    }

    [Fact]
    public async Task Text_output_says_how_to_get_the_next_page()
    {
        var run = await Cli.RunAsync("timeline", "--limit", "3");

        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldContain("SEQ");
        lines.Length.ShouldBe(5);
        lines[^1].ShouldContain("--before 142");
    }

    [Fact]
    public async Task Unknown_kinds_and_bad_dates_are_usage_errors()
    {
        var kind = await Cli.RunAsync("timeline", "--kind", "config-edits");
        var date = await Cli.RunAsync("timeline", "--since", "yesterday-ish");
        var limit = await Cli.RunAsync("timeline", "--limit", "0");

        kind.ExitCode.ShouldBe(2);
        kind.Err.ShouldContain("Unknown kind 'config-edits'");
        kind.Err.ShouldContain("config-edit");
        date.ExitCode.ShouldBe(2);
        date.Err.ShouldContain("--since 'yesterday-ish' is not a date");
        limit.ExitCode.ShouldBe(2);
    }

    [Fact]
    public async Task Show_prints_one_event_and_fails_clearly_for_a_missing_one()
    {
        var json = await Cli.RunAsync("show", "1", "--json");
        var missing = await Cli.RunAsync("show", "99999");

        json.ExitCode.ShouldBe(0);
        var doc = JsonDocument.Parse(json.Out).RootElement;
        doc.GetProperty("seq").GetInt64().ShouldBe(1);
        doc.GetProperty("data").GetProperty("sha").GetString().ShouldBe("0000".PadRight(40, 'a'));
        missing.ExitCode.ShouldBe(2);
        missing.Err.ShouldContain("There is no event #99999");
    }

    [Fact]
    public async Task A_timeline_page_uses_an_index_not_a_scan_of_the_table()
    {
        var plan = await _seeded.Db.ExplainAsync(
            "select seq_id from ledger.mt_events where is_archived = false and data->>'host' = 'beta' order by seq_id desc limit 51");

        plan.ShouldNotContain("Sort");
    }

    [Fact]
    public async Task Stored_json_has_camel_case_enum_values_and_label_keys_as_sent_regression()
    {
        // Marten's own enum converter once stored "Pass" while docs and queries expect "pass".
        var status = await _seeded.Db.ScalarAsync("select data->>'status' from ledger.mt_events where type = 'validation_run' limit 1");
        var label = await _seeded.Db.ScalarAsync("select data->'labels'->>'Instance' from ledger.mt_events where type = 'alert_fired' limit 1");

        status.ShouldBe("pass");
        label.ShouldBe("mediabox:9835");
    }
}
