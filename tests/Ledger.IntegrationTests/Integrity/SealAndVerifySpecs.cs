using Ledger.Core.Events;
using Ledger.Store;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

public sealed class SealAndVerifySpecs : IAsyncLifetime
{
    private readonly ChainLedger _ledger = new();

    public Task InitializeAsync() => _ledger.InitializeAsync();

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task An_untouched_ledger_seals_and_verifies_with_exit_0()
    {
        await _ledger.AppendAsync(25);

        var seal = await _ledger.Cli.RunAsync("seal");
        var verify = await _ledger.Cli.RunAsync("verify");
        var (code, json) = await _ledger.VerifyJsonAsync();

        seal.ExitCode.ShouldBe(0, seal.Err);
        seal.Out.ShouldContain("Sealed 25 events");
        verify.ExitCode.ShouldBe(0, verify.Err);
        verify.Out.ShouldContain("Intact.");
        code.ShouldBe(0);
        json.GetProperty("intact").GetBoolean().ShouldBeTrue();
        json.GetProperty("firstBrokenSeq").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        json.GetProperty("head").GetProperty("events").GetInt64().ShouldBe(25);
        json.GetProperty("unsealed").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Unsealed_events_are_reported_as_a_count_not_as_a_failure()
    {
        await _ledger.AppendAsync(10);
        await _ledger.Store.Chain.SealAsync();
        await _ledger.AppendAsync(3);

        var verify = await _ledger.Cli.RunAsync("verify");
        var (code, json) = await _ledger.VerifyJsonAsync();

        verify.ExitCode.ShouldBe(0, verify.Out);
        verify.Out.ShouldContain("Not sealed yet: 3 event(s) after #10");
        code.ShouldBe(0);
        json.GetProperty("unsealed").GetInt64().ShouldBe(3);
    }

    [Fact]
    public async Task Sealing_again_chains_only_the_new_events_onto_the_same_head()
    {
        await _ledger.AppendAsync(10);
        var first = await _ledger.Store.Chain.SealAsync();
        var again = await _ledger.Store.Chain.SealAsync();
        await _ledger.AppendAsync(5);
        var more = await _ledger.Store.Chain.SealAsync(batchSize: 2);

        first.Sealed.ShouldBe(10);
        again.Sealed.ShouldBe(0);
        again.Head.ShouldBe(first.Head);
        more.Sealed.ShouldBe(5);
        more.Head.Events.ShouldBe(15);
        (await _ledger.Store.Chain.VerifyAsync(batchSize: 4)).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task An_empty_ledger_verifies_and_its_head_is_the_zero_hash()
    {
        var report = await _ledger.Store.Chain.VerifyAsync();

        report.Intact.ShouldBeTrue();
        report.Head.Seq.ShouldBe(0);
        report.Head.Hash.ShouldBe(new string('0', 64));
    }

    [Fact]
    public async Task The_chain_can_be_recomputed_by_PostgreSQL_alone_from_the_documented_encoding()
    {
        // Payloads that a naive encoding would get wrong: non-ASCII, quotes, newlines, an emoji,
        // and server timestamps with microseconds.
        await _ledger.AppendAsync(5);
        var target = await _ledger.Store.FirstSeqOfStreamAsync((await _ledger.Store.StreamKeysAsync("repo:")).First());
        foreach (var purpose in new[] { "für \"alle\"", "line one\nline two\ttab", "emoji 😀 and \\ backslash", "{\"looks\": \"like json\"}" })
        {
            await _ledger.Store.AppendAsync(new NewEvent("commit:media01:/etc/nixos:abc", new ChangeAnnotated("media01", "tester", target, "abc", purpose, null, null)));
        }

        await _ledger.Store.Chain.SealAsync();

        // docs/events.md gives this query to outside verifiers; it shares no code with Ledger.
        var matching = await _ledger.ScalarAsync(ChainSql.RecomputeAndCompare);

        matching.ShouldBe(await _ledger.ScalarAsync("select count(*) from ledger.mt_events"));
        matching.ShouldBe(9);
    }

    [Fact]
    public async Task Four_concurrent_sealers_on_2000_events_build_one_chain()
    {
        await _ledger.AppendAsync(2000);
        var stores = new List<LedgerStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await LedgerStore.OpenAsync(_ledger.ConnectionString));
        }

        try
        {
            var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.Chain.SealAsync(batchSize: 150))));

            results.Sum(r => r.Sealed).ShouldBe(2000);
            results.ShouldAllBe(r => r.Head.Events == 2000 && r.Unsealed == 0);
            (await _ledger.ScalarAsync("select count(*) from ledger.ledger_chain")).ShouldBe(2000);
            (await _ledger.ScalarAsync("select count(*) from ledger.mt_events e left join ledger.ledger_chain c on c.seq = e.seq_id where c.seq is null")).ShouldBe(0);
            (await _ledger.Store.Chain.VerifyAsync()).Intact.ShouldBeTrue();
            (await _ledger.ScalarAsync(ChainSql.RecomputeAndCompare)).ShouldBe(2000);
        }
        finally
        {
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sealers_running_alongside_appenders_leave_every_event_chained_exactly_once()
    {
        using var stop = new CancellationTokenSource();
        var appenders = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await _ledger.Store.AppendAsync(new NewEvent(StreamKeys.Validations($"host{w}"), new RepositoryRegistered($"host{w}", "tester", $"/srv/{i}", "main", false)));
            }
        })).ToArray();
        var sealers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var rounds = 0;
            while (!stop.IsCancellationRequested)
            {
                await _ledger.Store.Chain.SealAsync(batchSize: 7, settleTimeout: TimeSpan.FromSeconds(5));
                rounds++;
            }

            return rounds;
        })).ToArray();

        await Task.WhenAll(appenders);
        await stop.CancelAsync();
        await Task.WhenAll(sealers);
        await _ledger.Store.Chain.SealAsync();

        (await _ledger.ScalarAsync("select count(*) from ledger.mt_events")).ShouldBe(400);
        (await _ledger.ScalarAsync("select count(*) from ledger.ledger_chain")).ShouldBe(400);
        var report = await _ledger.Store.Chain.VerifyAsync();
        report.Problems.ShouldBeEmpty();
        report.Unsealed.ShouldBe(0);
    }

    [Fact]
    public async Task A_sequence_number_held_by_a_running_transaction_is_not_sealed_past_until_it_commits()
    {
        await _ledger.AppendAsync(3);

        // A slow writer: it has taken seq 4 but not committed; seq 5 and 6 commit meanwhile.
        await using var slow = new NpgsqlConnection(_ledger.ConnectionString);
        await slow.OpenAsync();
        await using var tx = await slow.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("select nextval('ledger.mt_events_sequence')", slow, tx))
        {
            ((long)(await take.ExecuteScalarAsync())!).ShouldBe(4);
        }

        await _ledger.AppendAsync(2);
        var whileHeld = await _ledger.Store.Chain.SealAsync(settleTimeout: TimeSpan.FromMilliseconds(300));

        await using (var insert = new NpgsqlCommand(
            """
            insert into ledger.mt_streams (id, type, version) values ('repo:late:/srv/late', null, 1);
            insert into ledger.mt_events (seq_id, id, stream_id, version, data, type, timestamp)
            values (4, gen_random_uuid(), 'repo:late:/srv/late', 1, '{"host": "late", "repo": "/srv/late"}', 'repository_registered', now());
            """,
            slow,
            tx))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
        var afterCommit = await _ledger.Store.Chain.SealAsync();

        whileHeld.Head.Seq.ShouldBe(3);
        whileHeld.HeldSeq.ShouldBe(4);
        whileHeld.Unsealed.ShouldBe(2);
        afterCommit.Sealed.ShouldBe(3);
        afterCommit.Head.Seq.ShouldBe(6);
        (await _ledger.Store.Chain.VerifyAsync()).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task A_gap_left_by_a_rolled_back_append_is_passed_once_nothing_can_fill_it()
    {
        await _ledger.AppendAsync(2);
        await _ledger.ScalarAsync("select nextval('ledger.mt_events_sequence')");
        await _ledger.AppendAsync(2);

        var result = await _ledger.Store.Chain.SealAsync(settleTimeout: TimeSpan.FromSeconds(5));

        result.Sealed.ShouldBe(4);
        result.HeldSeq.ShouldBeNull();
        result.Head.Seq.ShouldBe(5);
        (await _ledger.Store.Chain.VerifyAsync()).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task Marten_hands_out_sequence_numbers_one_at_a_time_which_the_sealer_relies_on()
    {
        // With a sequence cache above 1, sessions would take numbers out of order and a later
        // transaction could commit below the sealed head.
        (await _ledger.ScalarAsync("select seqcache from pg_sequence where seqrelid = 'ledger.mt_events_sequence'::regclass")).ShouldBe(1);
    }
}
