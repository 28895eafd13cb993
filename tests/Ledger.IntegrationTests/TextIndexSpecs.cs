using Ledger.App.Recording;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.IntegrationTests.Support;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests;

/// <summary>
/// Issue 10: appends leave the free-text index to a catch-up (the daemon, a search that finds many
/// waiting, a schema upgrade). Whatever the index holds, a search finds every matching event.
/// </summary>
public sealed class TextIndexSpecs : IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public TextIndexSpecs(DatabaseFixture db)
    {
        _db = db;
    }

    private static NewEvent Edit(string host, string word) =>
        new(
            $"commit:{host}:{Guid.NewGuid():N}",
            new ConfigEdited(
                host, "alice", "/etc/nixos", Guid.NewGuid().ToString("N"), [], "Alice", "alice@example.org", DateTimeOffset.UtcNow, $"Tune {word}\n", $"Tune {word}",
                [new FileChange("hosts/a.nix", null, FileChangeKind.Modified, 1, 0, [new LineRange(3, 3)], false, $"@@ -3 +3 @@\n+  {word} = true;\n")],
                1,
                0));

    private static NewEvent Edit(string host, string message, string patchLine) =>
        new(
            $"commit:{host}:{Guid.NewGuid():N}",
            new ConfigEdited(
                host, "alice", "/etc/nixos", Guid.NewGuid().ToString("N"), [], "Alice", "alice@example.org", DateTimeOffset.UtcNow, message + "\n", message,
                [new FileChange("hosts/a.nix", null, FileChangeKind.Modified, 1, 0, [new LineRange(3, 3)], false, $"@@ -3 +3 @@\n{patchLine}\n")],
                1,
                0));

    private async Task<long> WatermarkAsync() => (long)(await _db.ScalarAsync("select indexed_upto from ledger.text_index_state"))!;

    private async Task<IReadOnlyList<long>> SearchAsync(string host, string word) =>
        (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Grep = word, Limit = 50 })).Select(e => e.Seq).ToList();

    [Fact]
    public async Task Appends_write_no_index_rows_and_a_search_finds_indexed_and_waiting_events_alike()
    {
        // Arrange: one event indexed, one appended after the catch-up.
        var host = "ti-" + Guid.NewGuid().ToString("N")[..6];
        var first = (await _db.Store.TryStartStreamAsync(Edit(host, "nvenc")))!.Value;
        await _db.Store.CatchUpTextIndexAsync();
        var second = (await _db.Store.TryStartStreamAsync(Edit(host, "NVENC")))!.Value;

        // Act
        var found = await SearchAsync(host, "nvEnc");

        // Assert
        (await _db.ScalarAsync($"select count(*) from ledger.event_text where seq_id = {first}")).ShouldBe(1L);
        (await _db.ScalarAsync($"select count(*) from ledger.event_text where seq_id = {second}")).ShouldBe(0L);
        (await WatermarkAsync()).ShouldBeLessThan(second);
        found.ShouldBe([second, first]);

        (await _db.Store.CatchUpTextIndexAsync()).ShouldBeGreaterThanOrEqualTo(1);
        (await _db.ScalarAsync($"select body from ledger.event_text where seq_id = {second}") as string).ShouldNotBeNull().ShouldContain("NVENC");
        (await SearchAsync(host, "nvenc")).ShouldBe([second, first]);
    }

    [Fact]
    public async Task A_hole_left_by_a_running_append_holds_the_watermark_until_that_transaction_ends()
    {
        // Arrange: another transaction has taken a sequence number and is still open.
        var host = "th-" + Guid.NewGuid().ToString("N")[..6];
        await _db.Store.CatchUpTextIndexAsync();
        await using var holder = new NpgsqlConnection(_db.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("select nextval('ledger.mt_events_sequence')", holder, tx))
        {
            await take.ExecuteScalarAsync();
        }

        var after = (await _db.Store.TryStartStreamAsync(Edit(host, "quicksync")))!.Value;

        // Act: the catch-up cannot tell the hole from an append about to commit, so it stops before it.
        await _db.Store.CatchUpTextIndexAsync();

        // Assert: the event past the hole is waiting, and still found.
        (await WatermarkAsync()).ShouldBe(after - 2);
        (await SearchAsync(host, "quicksync")).ShouldBe([after]);

        // Once the holder has ended (rolled back: the hole stays), the watermark passes it.
        await tx.RollbackAsync();
        await _db.Store.CatchUpTextIndexAsync();
        (await WatermarkAsync()).ShouldBeGreaterThanOrEqualTo(after);
        (await _db.ScalarAsync($"select count(*) from ledger.event_text where seq_id = {after}")).ShouldBe(1L);
        (await SearchAsync(host, "quicksync")).ShouldBe([after]);
    }

    [Fact]
    public async Task Db_status_says_how_many_events_wait_for_the_text_index()
    {
        // Arrange
        using var home = new TempDirectory("ledger-ti-home");
        var host = "ts-" + Guid.NewGuid().ToString("N")[..6];
        await _db.Store.CatchUpTextIndexAsync();
        await _db.Store.StartStreamsAsync([Edit(host, "a"), Edit(host, "b"), Edit(host, "c")]);
        var cli = new CliRun(_db.ConnectionString, home.Path);

        // Act
        var waiting = await cli.RunAsync("db", "status");
        await _db.Store.CatchUpTextIndexAsync();
        var caughtUp = await cli.RunAsync("db", "status");

        // Assert
        waiting.ExitCode.ShouldBe(0, waiting.Err);
        waiting.Out.ShouldContain("text:     3 events not in the text index yet");
        caughtUp.Out.ShouldContain("text:     index up to date");
    }

    [Fact]
    public async Task A_search_that_finds_many_events_waiting_indexes_them_first()
    {
        // Arrange
        var host = "tl-" + Guid.NewGuid().ToString("N")[..6];
        await _db.Store.CatchUpTextIndexAsync();
        await _db.Store.StartStreamsAsync(Enumerable.Range(0, 12).Select(i => Edit(host, i % 3 == 0 ? "tonemap" : "other")));
        var before = await WatermarkAsync();
        _db.Store.TextIndexLazyThreshold = 10;

        try
        {
            // Act
            var found = await SearchAsync(host, "tonemap");

            // Assert
            found.Count.ShouldBe(4);
            (await WatermarkAsync()).ShouldBeGreaterThan(before);
            (await _db.ScalarAsync($"select count(*) from ledger.event_text t join ledger.mt_events e using (seq_id) where e.data->>'host' = '{host}'")).ShouldBe(12L);
        }
        finally
        {
            _db.Store.TextIndexLazyThreshold = 5_000;
        }
    }

    [Fact]
    public async Task A_search_held_at_a_hole_does_not_try_again_at_every_search()
    {
        // Arrange: a store of its own (the back-off is per store); a hole held by an open transaction.
        await using var store = await LedgerStore.OpenAsync(_db.ConnectionString);
        store.TextIndexLazyThreshold = 10;
        var host = "tb-" + Guid.NewGuid().ToString("N")[..6];
        await store.CatchUpTextIndexAsync();
        await using var holder = new NpgsqlConnection(_db.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("select nextval('ledger.mt_events_sequence')", holder, tx))
        {
            await take.ExecuteScalarAsync();
        }

        await store.StartStreamsAsync(Enumerable.Range(0, 12).Select(_ => Edit(host, "deinterlace")));
        var watermark = await WatermarkAsync();

        // Act: the first search tries (and stops at the hole); the hole ends; the next search within the minute does not try.
        var first = await store.TimelineAsync(new TimelineQuery { Host = host, Grep = "deinterlace", Limit = 50 });
        await tx.RollbackAsync();
        var second = await store.TimelineAsync(new TimelineQuery { Host = host, Grep = "deinterlace", Limit = 50 });

        // Assert: both found everything (read directly), the watermark waited for the explicit catch-up.
        first.Count.ShouldBe(12);
        second.Count.ShouldBe(12);
        (await WatermarkAsync()).ShouldBe(watermark);
        (await store.CatchUpTextIndexAsync()).ShouldBe(12);
        (await WatermarkAsync()).ShouldBeGreaterThan(watermark);
    }

    [Fact]
    public async Task An_import_stores_commits_without_indexing_them_and_a_search_finds_words_of_their_patches()
    {
        // Arrange
        using var repo = new GitRepo();
        repo.Write("jellyfin.nix", "{ services.jellyfin.enable = true; }\n");
        repo.Commit("Enable jellyfin");
        repo.Write("jellyfin.nix", "{ services.jellyfin.enable = true; hardware.nvidia.open = false; }\n");
        repo.Commit("Use the closed driver");
        var host = "tg-" + Guid.NewGuid().ToString("N")[..6];
        var watermark = await WatermarkAsync();

        // Act
        using (var reader = GitHistoryReader.Open(repo.Path))
        {
            (await GitImport.RunAsync(_db.Store, reader, host, "alice", null, CancellationToken.None)).Recorded.ShouldBe(2);
        }

        // Assert
        (await WatermarkAsync()).ShouldBe(watermark);
        (await _db.ScalarAsync($"select count(*) from ledger.event_text t join ledger.mt_events e using (seq_id) where e.data->>'host' = '{host}'")).ShouldBe(0L);
        var found = (await _db.Store.TimelineAsync(new TimelineQuery { Host = host, Grep = "nvidia.open", Limit = 50 })).ShouldHaveSingleItem();
        found.Data.ShouldBeOfType<ConfigEdited>().Purpose.ShouldBe("Use the closed driver");
    }

    [Fact]
    public async Task Upgrading_a_version_4_ledger_moves_its_history_into_the_text_index()
    {
        // Arrange: a ledger as schema version 4 left it, the trigram index on mt_events itself.
        await using var db = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "up");
        var host = "tu-" + Guid.NewGuid().ToString("N")[..6];
        await using (var store = await LedgerStore.OpenAsync(db.ConnectionString))
        {
            await store.StartStreamsAsync([Edit(host, "hevc"), Edit(host, "av1")]);
        }

        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var v4 = new NpgsqlCommand(
                $"""
                drop table ledger.event_text; drop table ledger.text_index_state;
                create index ix_ledger_events_text on ledger.mt_events using gin ((data::text) gin_trgm_ops) where type not in ({LedgerStore.SnapshotTypesSql});
                update ledger.ledger_meta set schema_version = 4;
                """,
                conn);
            await v4.ExecuteNonQueryAsync();
        }

        // Act
        await using var upgraded = await LedgerStore.OpenAsync(db.ConnectionString);

        // Assert
        await using var check = new NpgsqlConnection(db.ConnectionString);
        await check.OpenAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, check);
            return await cmd.ExecuteScalarAsync();
        }

        (await Scalar("select schema_version from ledger.ledger_meta")).ShouldBe(MartenConfig.SchemaVersion);
        (await Scalar("select count(*) from pg_indexes where indexname = 'ix_ledger_events_text'")).ShouldBe(0L);
        (await Scalar("select count(*) from ledger.event_text where body like '%hevc%' or body like '%av1%'")).ShouldBe(2L);
        (await Scalar("select indexed_upto from ledger.text_index_state")).ShouldBe(await Scalar("select max(seq_id) from ledger.mt_events"));
        (await upgraded.TimelineAsync(new TimelineQuery { Host = host, Grep = "HEVC", Limit = 10 })).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_search_matches_the_text_as_shown_literally_and_the_same_indexed_or_not_issue_15()
    {
        // Arrange: a store of its own (its recent window is set below); events that hold what JSON escapes.
        await using var store = await LedgerStore.OpenAsync(_db.ConnectionString);
        var host = "tq-" + Guid.NewGuid().ToString("N")[..6];
        await store.StartStreamsAsync(Enumerable.Range(0, 8).Select(i => Edit("filler-" + host, $"filler {i}")));
        var quoted = (await store.TryStartStreamAsync(Edit(host, """Move the library to "media" on D:\media""", "+\tlibrary = \"D:\\media\\films\";")))!.Value;
        var unicode = (await store.TryStartStreamAsync(Edit(host, "Rename jellyfin-ÄÖ to Ünïcode", "+  name = \"jellyfin-ÄÖ\";")))!.Value;
        var percent = (await store.TryStartStreamAsync(Edit(host, "Cap cache_size at 100% of RAM", "+  cache = 1;")))!.Value;
        var plain = (await store.TryStartStreamAsync(Edit(host, "Tune nvenc", "+  nvenc = 1;")))!.Value;
        (string Text, long[] Expected)[] cases =
        [
            ("\"media\"", [quoted]),
            ("D:\\media", [quoted]),
            ("D:\\media\\films", [quoted]),
            ("\"", [unicode, quoted]),
            ("\tlibrary", [quoted]),
            ("authorEmail", []),
            ("linesAdded", []),
            ("JELLYFIN-äö", [unicode]),
            ("ÜNÏCODE", [unicode]),
            ("100%", [percent]),
            ("%", [percent]),
            ("_", [percent]),
            ("cache_size", [percent]),
            ("h_s", []),
            ("0%o", []),
            ("alice@EXAMPLE.org", [plain, percent, unicode, quoted]),
        ];

        async Task<long[][]> SearchAllAsync() =>
            await Task.WhenAll(cases.Select(async c => (await store.TimelineAsync(new TimelineQuery { Host = host, Grep = c.Text, Limit = 50 })).Select(e => e.Seq).ToArray()));

        // Act: above the watermark (read directly), in the recent window (read by sequence number), then indexed.
        (await WatermarkAsync()).ShouldBeLessThan(quoted);
        var direct = await SearchAllAsync();
        store.TextSearchWindow = 4;
        var window = await SearchAllAsync();
        store.TextSearchWindow = 20_000;
        await store.CatchUpTextIndexAsync();
        (await WatermarkAsync()).ShouldBeGreaterThanOrEqualTo(plain);
        var indexed = await SearchAllAsync();

        // Assert
        for (int i = 0; i < cases.Length; i++)
        {
            direct[i].ShouldBe(cases[i].Expected, $"not indexed: {cases[i].Text}");
            window[i].ShouldBe(cases[i].Expected, $"recent window: {cases[i].Text}");
            indexed[i].ShouldBe(cases[i].Expected, $"indexed: {cases[i].Text}");
        }
    }

    [Fact]
    public async Task Timeline_grep_finds_quotes_and_a_backslashed_path_and_not_json_syntax_issue_15()
    {
        // Arrange
        using var home = new TempDirectory("ledger-ti-home");
        var host = "tc-" + Guid.NewGuid().ToString("N")[..6];
        var quoted = (await _db.Store.TryStartStreamAsync(Edit(host, """Point jellyfin at "media" on D:\media""", "+  path = 1;")))!.Value;
        await _db.Store.TryStartStreamAsync(Edit(host, "Tune nvenc", "+  nvenc = 1;"));
        var cli = new CliRun(_db.ConnectionString, home.Path);

        async Task<List<long>> GrepAsync(string text)
        {
            var run = await cli.RunAsync("timeline", "--host", host, "--grep", text, "--json");
            run.ExitCode.ShouldBe(0, run.Err);
            return System.Text.Json.JsonDocument.Parse(run.Out).RootElement.EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).ToList();
        }

        foreach (var indexed in new[] { false, true })
        {
            if (indexed)
            {
                await _db.Store.CatchUpTextIndexAsync();
            }

            // Act
            var media = await GrepAsync("\"media\"");
            var path = await GrepAsync("D:\\media");
            var quote = await GrepAsync("\"");
            var key = await GrepAsync("authorEmail");
            var all = await GrepAsync("alice");

            // Assert
            media.ShouldBe([quoted], $"indexed: {indexed}");
            path.ShouldBe([quoted], $"indexed: {indexed}");
            quote.ShouldBe([quoted], $"indexed: {indexed}");
            key.ShouldBeEmpty($"indexed: {indexed}");
            all.Count.ShouldBe(2, $"indexed: {indexed}");
        }
    }

    [Fact]
    public async Task The_search_of_the_text_index_can_use_the_trigram_index_issue_15()
    {
        // Arrange: the condition the store builds, its parameter written in.
        var condition = TextIndex.MatchSql(MartenConfig.Schema, LedgerStore.SnapshotTypesSql).Replace("@grep", "'%\"media\"%'", StringComparison.Ordinal);

        // Act
        var plan = await _db.ExplainAsync($"select seq_id from ledger.mt_events where is_archived = false and {condition} order by seq_id desc limit 50");

        // Assert
        plan.ShouldContain("ix_ledger_event_text_body");
    }

    [Fact]
    public async Task Upgrading_a_version_5_ledger_rebuilds_its_text_index_from_the_text_as_shown_issue_15()
    {
        // Arrange: a ledger as schema version 5 left it, its index holding each event's JSON text.
        await using var db = await ScratchDatabase.CreateAsync(await TestPostgres.ServerConnectionStringAsync(), "up5");
        var host = "t5-" + Guid.NewGuid().ToString("N")[..6];
        await using (var store = await LedgerStore.OpenAsync(db.ConnectionString))
        {
            await store.StartStreamsAsync([Edit(host, """Mount "media" on D:\media""", "+  a = 1;"), Edit(host, "Tune nvenc", "+  b = 1;")]);
        }

        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var v5 = new NpgsqlCommand(
                """
                drop function ledger.search_text(jsonb); drop function ledger.search_fold(text);
                alter table ledger.text_index_state drop column body_format;
                insert into ledger.event_text (seq_id, body) select seq_id, data::text from ledger.mt_events where type = 'config_edited';
                update ledger.text_index_state set indexed_upto = (select max(seq_id) from ledger.mt_events);
                update ledger.ledger_meta set schema_version = 5;
                """,
                conn);
            await v5.ExecuteNonQueryAsync();
        }

        // Act
        await using var upgraded = await LedgerStore.OpenAsync(db.ConnectionString);

        // Assert
        await using var check = new NpgsqlConnection(db.ConnectionString);
        await check.OpenAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, check);
            return await cmd.ExecuteScalarAsync();
        }

        (await Scalar("select schema_version from ledger.ledger_meta")).ShouldBe(MartenConfig.SchemaVersion);
        (await Scalar("select body_format from ledger.text_index_state")).ShouldBe(TextIndex.BodyFormat);
        (await Scalar("select count(*) from ledger.event_text where body like '%authoremail%' or body like '%{%'")).ShouldBe(0L);
        (await Scalar("select count(*) from ledger.event_text where body like '%mount \"media\" on d:\\\\media%'")).ShouldBe(1L);
        (await Scalar("select indexed_upto from ledger.text_index_state")).ShouldBe(await Scalar("select max(seq_id) from ledger.mt_events"));
        (await upgraded.TimelineAsync(new TimelineQuery { Host = host, Grep = "\"MEDIA\"", Limit = 10 })).ShouldHaveSingleItem();
        (await upgraded.TimelineAsync(new TimelineQuery { Host = host, Grep = "authorEmail", Limit = 10 })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Under_the_c_locale_letters_beyond_ascii_still_fold_where_the_server_has_icu_issue_15()
    {
        // Arrange: a database whose own lower() folds only ASCII.
        var server = await TestPostgres.ServerConnectionStringAsync();
        var name = "ledger_c_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        async Task<object?> AdminAsync(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, admin);
            return await cmd.ExecuteScalarAsync();
        }

        if (await AdminAsync("select count(*) from pg_collation where collname = 'und-x-icu'") is 0L)
        {
            return; // a server built without ICU folds ASCII only under the C locale (docs/operations.md)
        }

        await AdminAsync($"create database {name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'");
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            var host = "tk-" + Guid.NewGuid().ToString("N")[..6];
            long seq;
            await using (var store = await LedgerStore.OpenAsync(cs))
            {
                seq = (await store.TryStartStreamAsync(Edit(host, "Rename JELLYFIN-ÄÖ", "+  a = 1;")))!.Value;

                // Act
                var direct = await store.TimelineAsync(new TimelineQuery { Host = host, Grep = "jellyfin-äö", Limit = 10 });
                await store.CatchUpTextIndexAsync();
                var indexed = await store.TimelineAsync(new TimelineQuery { Host = host, Grep = "jellyfin-äö", Limit = 10 });

                // Assert
                direct.ShouldHaveSingleItem().Seq.ShouldBe(seq);
                indexed.ShouldHaveSingleItem().Seq.ShouldBe(seq);
            }

            NpgsqlConnection.ClearAllPools();
        }
        finally
        {
            await AdminAsync($"drop database if exists {name} with (force)");
        }
    }
}
