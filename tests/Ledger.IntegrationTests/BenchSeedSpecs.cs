using System.Text.Json;
using Ledger.Bench;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests;

/// <summary>
/// <c>ledger-bench seed</c> writes rows the store reads back as its own (streams, versions, the
/// sequence), and free-text search over them leaves snapshots out unless a snapshot kind is asked for.
/// </summary>
public sealed class BenchSeedSpecs : IClassFixture<BenchSeedSpecs.Seeded>
{
    private readonly Seeded _seeded;

    public BenchSeedSpecs(Seeded seeded)
    {
        _seeded = seeded;
    }

    public sealed class Seeded : IAsyncLifetime
    {
        public DatabaseFixture Db { get; } = new();

        public TempDirectory Home { get; } = new("ledger-home");

        public CliResult First { get; private set; } = null!;

        public CliRun Cli => new(Db.ConnectionString, Home.Path);

        /// <summary>Runs <c>ledger-bench ARGS</c> in-process against the database, with the same LEDGER_HOME.</summary>
        public async Task<CliResult> BenchAsync(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var env = new Dictionary<string, string?> { ["LEDGER_DB"] = Db.ConnectionString, ["LEDGER_HOME"] = Home.Path, ["HOME"] = Home.Path };
            var code = await BenchApp.RunAsync(args, output, error, name => env.GetValueOrDefault(name));
            return new CliResult(code, output.ToString(), error.ToString());
        }

        public async Task InitializeAsync()
        {
            await Db.InitializeAsync();
            First = await BenchAsync("seed", "--events", "3000", "--hosts", "2", "--days", "3");
        }

        public async Task DisposeAsync()
        {
            await Db.DisposeAsync();
            Home.Dispose();
        }
    }

    [Fact]
    public async Task Seed_writes_the_events_asked_for_in_streams_whose_versions_match()
    {
        // Assert
        _seeded.First.ExitCode.ShouldBe(0, _seeded.First.Err);
        _seeded.First.Out.ShouldContain("Wrote 3,000 events");
        (await _seeded.Db.ScalarAsync("select count(*) from ledger.mt_events where stream_id like '%bench-%'")).ShouldBe(3000L);
        (await _seeded.Db.ScalarAsync(
            "select count(*) from ledger.mt_streams s where s.id like '%:bench-%' and s.version <> (select max(e.version) from ledger.mt_events e where e.stream_id = s.id)")).ShouldBe(0L);
        (await _seeded.Db.ScalarAsync("select count(distinct data->>'host') from ledger.mt_events where stream_id like '%bench-%'")).ShouldBe(2L);
        (await _seeded.Db.ScalarAsync("select count(distinct type) from ledger.mt_events where stream_id like '%bench-%'")).ShouldBe(10L);
    }

    [Fact]
    public async Task Each_seeded_resolution_names_the_alert_it_resolves_issue_20()
    {
        // A resolution named otherwise made the seeded month's report count hundreds of TargetDown
        // resolutions for a hundred firings.
        (await _seeded.Db.ScalarAsync(
            """
            select count(*) from ledger.mt_events r
            where r.type = 'alert_resolved' and r.stream_id like '%bench-%'
              and not exists (select 1 from ledger.mt_events f where f.type = 'alert_fired'
                              and f.data->>'fingerprint' = r.data->>'fingerprint' and f.data->>'alertName' = r.data->>'alertName')
            """)).ShouldBe(0L);
        (await _seeded.Db.ScalarAsync("select count(distinct data->>'alertName') from ledger.mt_events where type = 'alert_resolved' and stream_id like '%bench-%'")).ShouldNotBe(1L);
    }

    [Fact]
    public async Task Seeded_events_read_back_through_the_store_and_later_appends_continue_the_sequence()
    {
        // Act
        var page = await _seeded.Db.Store.TimelineAsync(new TimelineQuery { Limit = 3000 });
        var seq = await _seeded.Db.Store.AppendAsync(new Ledger.Store.NewEvent(
            "annotation-test", new Ledger.Core.Events.ChangeAnnotated("bench-01", "alice", 1, "abc", "why", null, null)));

        // Assert
        page.Count.ShouldBe(3000);
        page.ShouldAllBe(e => e.Title.Length > 0 && (e.Host == "bench-01" || e.Host == "bench-02"));
        page.Select(e => e.Kind).Distinct().Count().ShouldBeGreaterThanOrEqualTo(7);
        seq.ShouldBeGreaterThan(3000);
    }

    [Fact]
    public async Task Seeding_a_database_that_holds_benchmark_data_is_refused_and_adds_nothing()
    {
        // Act
        var again = await _seeded.BenchAsync("seed", "--events", "10", "--hosts", "1", "--days", "1");

        // Assert
        again.ExitCode.ShouldBe(2);
        again.Err.ShouldContain("already holds benchmark data");
        (await _seeded.Db.ScalarAsync("select count(*) from ledger.mt_events where stream_id like '%bench-%'")).ShouldBe(3000L);
    }

    [Fact]
    public async Task Text_search_leaves_snapshots_out_unless_a_snapshot_kind_is_asked_for()
    {
        // Every container snapshot names every container ("jellyfin"); so do some config edits.

        // Act
        var plain = await _seeded.Cli.RunAsync("timeline", "--grep", "JELLYFIN", "--limit", "500", "--json");
        var snapshots = await _seeded.Cli.RunAsync("timeline", "--grep", "jellyfin", "--kind", "container-snapshot", "--limit", "5", "--json");

        // Assert
        plain.ExitCode.ShouldBe(0, plain.Err);
        var kinds = Kinds(plain.Out);
        kinds.ShouldNotBeEmpty();
        kinds.ShouldAllBe(k => !k.EndsWith("-snapshot"));
        kinds.ShouldContain("config-edit");
        Kinds(snapshots.Out).ShouldBe(["container-snapshot", "container-snapshot", "container-snapshot", "container-snapshot", "container-snapshot"]);
    }

    [Fact]
    public async Task A_host_page_shows_each_snapshot_with_the_line_of_its_decoded_event()
    {
        // Snapshot lines are read from the stored JSON (jsonb's key order) without decoding the event.
        await using var store = await Ledger.Store.LedgerStore.OpenAsync(_seeded.Db.ConnectionString);

        var page = await store.TimelineAsync(new TimelineQuery { Host = "bench-01", Limit = 200 });

        page.Count.ShouldBe(200);
        page.Select(e => e.Kind).Where(k => k.EndsWith("-snapshot", StringComparison.Ordinal)).Distinct().Count().ShouldBe(4);
        foreach (var e in page)
        {
            var decoded = e.Data.ShouldBeAssignableTo<Ledger.Core.Events.ILedgerEvent>()!;
            (e.Host, e.Actor, e.Title).ShouldBe((decoded.Host, decoded.Actor, Ledger.Core.Events.EventCatalogue.Title(decoded)), $"#{e.Seq} {e.Type}");
        }
    }

    [Fact]
    public async Task Text_search_can_use_the_trigram_index()
    {
        // For a page of a common word the planner rightly walks seq_id backwards; for a rare word
        // (or counting all matches) the trigram index is what keeps it from reading every payload.
        // Seeding leaves no backlog: every non-snapshot event is in the index.

        // Act
        var condition = Ledger.Store.TextIndex.MatchSql(Ledger.Store.MartenConfig.Schema, Ledger.Store.LedgerStore.SnapshotTypesSql).Replace("@grep", "'%transcoding%'", StringComparison.Ordinal);
        var plan = await _seeded.Db.ExplainAsync($"select count(*) from ledger.mt_events where {condition}");

        // Assert
        _seeded.First.Out.ShouldContain("for text search");
        plan.ShouldContain("ix_ledger_event_text_body");
        ((long)(await _seeded.Db.ScalarAsync("select indexed_upto from ledger.text_index_state"))!).ShouldBeGreaterThanOrEqualTo(3000L);
        (await _seeded.Db.ScalarAsync("select count(*) from ledger.event_text")).ShouldBe(
            await _seeded.Db.ScalarAsync("select count(*) from ledger.mt_events where type not like '%snapshot%' and seq_id <= (select indexed_upto from ledger.text_index_state)"));
    }

    [Theory]
    [InlineData(null, 40)]
    [InlineData(2500L, 40)]
    [InlineData(null, 400)]
    public async Task A_text_page_across_the_recent_window_is_the_page_the_plain_query_gives(long? before, int limit)
    {
        // Arrange: a window far smaller than the history, so that pages cross it.
        await using var store = await Ledger.Store.LedgerStore.OpenAsync(_seeded.Db.ConnectionString);
        store.TextSearchWindow = 100;
        var truth = new List<long>();
        await using (var conn = new Npgsql.NpgsqlConnection(_seeded.Db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand(
                $"select seq_id from ledger.mt_events where type not like '%snapshot%' and data::text ilike '%transcoding%' and seq_id < {before ?? long.MaxValue} order by seq_id desc limit {limit}", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                truth.Add(reader.GetInt64(0));
            }
        }

        // Act
        var page = await store.TimelineAsync(new TimelineQuery { Grep = "Transcoding", BeforeSeq = before, Limit = limit });

        // Assert
        truth.Count.ShouldBeGreaterThan(5);
        page.Select(e => e.Seq).ShouldBe(truth);
    }

    private static List<string> Kinds(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();
}
