using System.Text.Json;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// History rewritten with the database owner's rights (the guard triggers switched off, as only
/// the owner can): each change is caught by <c>ledger verify</c>, which names the sequence number.
/// </summary>
public sealed class TamperSpecs : IAsyncLifetime
{
    private readonly ChainLedger _ledger = new();

    public Task InitializeAsync() => _ledger.InitializeAsync();

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task A_direct_update_of_one_events_data_makes_verify_exit_1_naming_that_event_issue_7()
    {
        await _ledger.AppendAsync(20);
        (await _ledger.Cli.RunAsync("seal")).ExitCode.ShouldBe(0);

        await _ledger.TamperAsync("update ledger.mt_events set data = jsonb_set(data, '{branch}', '\"hacked\"') where seq_id = 13");
        var verify = await _ledger.Cli.RunAsync("verify");
        var (code, json) = await _ledger.VerifyJsonAsync();

        verify.ExitCode.ShouldBe(1);
        verify.Out.ShouldContain("TAMPERED: the first broken sequence number is #13.");
        verify.Out.ShouldContain("event #13 changed after it was sealed");
        code.ShouldBe(1);
        json.GetProperty("firstBrokenSeq").GetInt64().ShouldBe(13);
        var problem = json.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem();
        problem.GetProperty("kind").GetString().ShouldBe("event-changed");
    }

    [Theory]
    [InlineData("timestamp = timestamp + interval '1 microsecond'")]
    [InlineData("type = 'change_annotated'")]
    [InlineData("version = version + 100")]
    [InlineData("stream_id = stream_id")]
    public async Task A_change_to_any_chained_column_is_detected(string assignment)
    {
        await _ledger.AppendAsync(5);
        await _ledger.Store.Chain.SealAsync();
        var streamRename = assignment == "stream_id = stream_id";
        if (streamRename)
        {
            // Moving an event to another stream: the stream row must exist for the foreign key.
            await _ledger.ExecuteAsync("insert into ledger.mt_streams (id, version) values ('repo:media01:/srv/elsewhere', 1)");
            assignment = "stream_id = 'repo:media01:/srv/elsewhere'";
        }

        await _ledger.TamperAsync($"update ledger.mt_events set {assignment} where seq_id = 2");
        var report = await _ledger.Store.Chain.VerifyAsync();

        report.FirstBrokenSeq.ShouldBe(2);
    }

    [Fact]
    public async Task A_deleted_middle_event_is_named()
    {
        await _ledger.AppendAsync(10);
        await _ledger.Store.Chain.SealAsync();

        await _ledger.TamperAsync("delete from ledger.mt_events where seq_id = 6");
        var verify = await _ledger.Cli.RunAsync("verify");

        verify.ExitCode.ShouldBe(1);
        verify.Out.ShouldContain("#6: event #6 was deleted after it was sealed");
        (await _ledger.Store.Chain.VerifyAsync()).Problems.ShouldHaveSingleItem().Seq.ShouldBe(6);
    }

    [Fact]
    public async Task A_middle_event_deleted_together_with_its_chain_row_breaks_the_chain_at_the_next_event()
    {
        await _ledger.AppendAsync(10);
        await _ledger.Store.Chain.SealAsync();

        await _ledger.TamperAsync("delete from ledger.mt_events where seq_id = 6; delete from ledger.ledger_chain where seq = 6");
        var report = await _ledger.Store.Chain.VerifyAsync();

        var problem = report.Problems.ShouldHaveSingleItem();
        problem.Seq.ShouldBe(7);
        problem.Message.ShouldContain("events #6 were removed together with their chain rows");
    }

    [Fact]
    public async Task An_altered_chain_row_is_told_apart_from_an_altered_event()
    {
        await _ledger.AppendAsync(10);
        await _ledger.Store.Chain.SealAsync();

        await _ledger.TamperAsync("update ledger.ledger_chain set hash = sha256('forged') where seq = 4");
        var (code, json) = await _ledger.VerifyJsonAsync();

        code.ShouldBe(1);
        json.GetProperty("firstBrokenSeq").GetInt64().ShouldBe(4);
        json.GetProperty("problems")[0].GetProperty("kind").GetString().ShouldBe("chain-row-changed");
    }

    [Fact]
    public async Task An_event_whose_chain_row_was_removed_lies_outside_the_chain_and_is_named()
    {
        await _ledger.AppendAsync(10);
        await _ledger.Store.Chain.SealAsync();

        await _ledger.TamperAsync("delete from ledger.ledger_chain where seq = 3");
        var report = await _ledger.Store.Chain.VerifyAsync();

        report.FirstBrokenSeq.ShouldBe(3);
        report.Problems[0].Kind.ShouldBe(Ledger.Store.Chain.ChainProblemKind.EventNotInChain);
    }

    [Fact]
    public async Task A_truncated_tail_passes_plain_verify_but_not_verify_against_an_earlier_checkpoint()
    {
        await _ledger.AppendAsync(12);
        var checkpoint = Path.Combine(_ledger.Home, "cp.json");
        (await _ledger.Cli.RunAsync("checkpoint", "--out", checkpoint)).ExitCode.ShouldBe(0);

        // The last three events and their chain rows go: what is left is a consistent, shorter chain.
        await _ledger.TamperAsync("delete from ledger.mt_events where seq_id > 9; delete from ledger.ledger_chain where seq > 9");
        var plain = await _ledger.Cli.RunAsync("verify");
        var against = await _ledger.Cli.RunAsync("verify", "--checkpoint", checkpoint);
        var (code, json) = await _ledger.VerifyJsonAsync("--checkpoint", checkpoint);

        plain.ExitCode.ShouldBe(0, "a consistent shorter chain is all the database alone can show");
        against.ExitCode.ShouldBe(1);
        against.Out.ShouldContain("TAMPERED: the first broken sequence number is #12.");
        against.Out.ShouldContain("the chain now ends at #9");
        against.Out.ShouldContain("truncated tail");
        code.ShouldBe(1);
        json.GetProperty("checkpoint").GetProperty("holds").GetBoolean().ShouldBeFalse();
        json.GetProperty("problems")[0].GetProperty("kind").GetString().ShouldBe("checkpoint-missing");
    }

    [Fact]
    public async Task A_rewritten_and_resealed_history_is_caught_by_an_earlier_checkpoint()
    {
        await _ledger.AppendAsync(8);
        var checkpoint = Path.Combine(_ledger.Home, "cp.json");
        (await _ledger.Cli.RunAsync("checkpoint", "--out", checkpoint)).ExitCode.ShouldBe(0);

        // The owner changes event 5, throws the chain away from there and seals again.
        await _ledger.TamperAsync("update ledger.mt_events set data = jsonb_set(data, '{branch}', '\"rewritten\"') where seq_id = 5; delete from ledger.ledger_chain where seq >= 5");
        await _ledger.Store.Chain.SealAsync();
        var plain = await _ledger.Cli.RunAsync("verify");
        var against = await _ledger.Cli.RunAsync("verify", "--checkpoint", checkpoint);

        plain.ExitCode.ShouldBe(0);
        against.ExitCode.ShouldBe(1);
        against.Out.ShouldContain("#8: the chain's hash at #8 is");
        against.Out.ShouldContain("rewritten and sealed again");
    }

    [Fact]
    public async Task Checkpoint_refuses_to_vouch_for_a_tampered_chain()
    {
        await _ledger.AppendAsync(5);
        await _ledger.Store.Chain.SealAsync();
        await _ledger.TamperAsync("update ledger.mt_events set data = jsonb_set(data, '{branch}', '\"x\"') where seq_id = 2");
        var checkpoint = Path.Combine(_ledger.Home, "cp.json");

        var run = await _ledger.Cli.RunAsync("checkpoint", "--out", checkpoint);

        run.ExitCode.ShouldBe(1);
        run.Err.ShouldContain("first at #2");
        run.Err.ShouldContain("No checkpoint was written");
        File.Exists(checkpoint).ShouldBeFalse();
    }

    [Fact]
    public async Task Verify_json_lists_every_problem_in_sequence_order()
    {
        await _ledger.AppendAsync(10);
        await _ledger.Store.Chain.SealAsync();

        await _ledger.TamperAsync("update ledger.mt_events set data = jsonb_set(data, '{branch}', '\"x\"') where seq_id in (3, 8); delete from ledger.mt_events where seq_id = 5");
        var (_, json) = await _ledger.VerifyJsonAsync();

        string.Join(' ', json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("seq").GetInt64())).ShouldBe("3 5 8");
        string.Join(' ', json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("kind").GetString())).ShouldBe("event-changed event-missing event-changed");
        json.GetProperty("firstBrokenSeq").GetInt64().ShouldBe(3);
        json.ValueKind.ShouldBe(JsonValueKind.Object);
    }
}
