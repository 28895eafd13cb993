using Ledger.Core.Timeline;
using Ledger.Store.Chain;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// Issue 15: an event nobody can see is as good as deleted. Hiding a sealed event from the
/// timeline (archived) or from searches (its text index row deleted, the watermark moved) leaves
/// the event and its chain row intact, so <c>ledger verify</c> checks what readers see as well.
/// </summary>
public sealed class HiddenEventSpecs : IAsyncLifetime
{
    private readonly ChainLedger _ledger = new();

    public Task InitializeAsync() => _ledger.InitializeAsync();

    public Task DisposeAsync() => _ledger.DisposeAsync();

    private async Task<IReadOnlyList<long>> SearchAsync(string word) =>
        (await _ledger.Store.TimelineAsync(new TimelineQuery { Grep = word, Limit = 50 })).Select(e => e.Seq).ToList();

    private async Task<IReadOnlyList<long>> TimelineAsync() =>
        (await _ledger.Store.TimelineAsync(new TimelineQuery { Limit = 50 })).Select(e => e.Seq).ToList();

    [Fact]
    public async Task A_sealed_event_archived_by_the_owner_vanishes_from_the_timeline_and_verify_names_it_issue_15()
    {
        // Arrange: five sealed events, then #3 hidden the way Marten archives (the triggers off, as only the owner can).
        await _ledger.AppendAsync(5);
        (await _ledger.Cli.RunAsync("seal")).ExitCode.ShouldBe(0);
        await _ledger.TamperAsync("update ledger.mt_events set is_archived = true where seq_id = 3");

        // Act
        var timeline = await TimelineAsync();
        var search = await SearchAsync("/srv/repo-2");
        var verify = await _ledger.Cli.RunAsync("verify");
        var (code, json) = await _ledger.VerifyJsonAsync();

        // Assert: the reader really cannot see it, and verify says so.
        timeline.ShouldNotContain(3L);
        search.ShouldBeEmpty();
        verify.ExitCode.ShouldBe(1, verify.Out);
        verify.Out.ShouldContain("TAMPERED: the first broken sequence number is #3.");
        verify.Out.ShouldContain("event #3 is marked archived after it was sealed");
        code.ShouldBe(1);
        var problem = json.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem();
        problem.GetProperty("kind").GetString().ShouldBe("event-hidden");
        problem.GetProperty("seq").GetInt64().ShouldBe(3);
    }

    [Fact]
    public async Task An_event_whose_archived_flag_was_set_to_null_is_hidden_and_named_too_issue_15()
    {
        await _ledger.AppendAsync(3);
        await _ledger.Store.Chain.SealAsync();
        await _ledger.TamperAsync("alter table ledger.mt_events alter column is_archived drop not null; update ledger.mt_events set is_archived = null where seq_id = 2");

        var timeline = await TimelineAsync();
        var report = await _ledger.Store.Chain.VerifyAsync();

        timeline.ShouldBe([3L, 1L]);
        var problem = report.Problems.ShouldHaveSingleItem();
        (problem.Seq, problem.Kind).ShouldBe((2L, ChainProblemKind.EventHidden));
    }

    [Fact]
    public async Task An_archived_event_not_sealed_yet_is_reported_too_issue_15()
    {
        await _ledger.AppendAsync(3);
        await _ledger.Store.Chain.SealAsync();
        await _ledger.AppendAsync(2);
        await _ledger.TamperAsync("update ledger.mt_events set is_archived = true where seq_id = 5");

        var report = await _ledger.Store.Chain.VerifyAsync();

        report.Unsealed.ShouldBe(2);
        var problem = report.Problems.ShouldHaveSingleItem();
        problem.Kind.ShouldBe(ChainProblemKind.EventHidden);
        problem.Seq.ShouldBe(5);
    }

    [Fact]
    public async Task An_event_whose_text_index_row_the_owner_deleted_is_not_found_by_search_and_verify_names_it_issue_15()
    {
        // Arrange: indexed and sealed; the owner deletes #2's row (the owner passes the index's trigger).
        await _ledger.AppendAsync(4);
        await _ledger.Store.CatchUpTextIndexAsync();
        await _ledger.Store.Chain.SealAsync();
        (await SearchAsync("/srv/repo-1")).ShouldBe([2L]);
        await _ledger.ExecuteAsync("delete from ledger.event_text where seq_id = 2");

        // Act
        var search = await SearchAsync("/srv/repo-1");
        var verify = await _ledger.Cli.RunAsync("verify");
        var (_, json) = await _ledger.VerifyJsonAsync();

        // Assert
        search.ShouldBeEmpty();
        verify.ExitCode.ShouldBe(1, verify.Out);
        verify.Out.ShouldContain("#2: event #2 is missing from the text index");
        var problem = json.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem();
        problem.GetProperty("kind").GetString().ShouldBe("text-index-missing");
    }

    [Fact]
    public async Task A_text_index_watermark_moved_beyond_the_last_event_is_reported_issue_15()
    {
        await _ledger.AppendAsync(3);
        await _ledger.Store.CatchUpTextIndexAsync();
        await _ledger.ExecuteAsync("update ledger.text_index_state set indexed_upto = 1000");
        await _ledger.AppendAsync(1);

        var report = await _ledger.Store.Chain.VerifyAsync();

        (await SearchAsync("/srv/repo-0")).ShouldBe([1L], "#4 lies below the watermark, so searches ask only the index, which never got it");
        report.Intact.ShouldBeFalse();
        report.Problems.Select(p => (p.Seq, p.Kind)).ShouldBe([(4L, ChainProblemKind.TextIndexMissing), (1000L, ChainProblemKind.TextIndexWatermark)]);
    }

    [Fact]
    public async Task An_untouched_indexed_ledger_is_intact()
    {
        await _ledger.AppendAsync(6);
        await _ledger.Store.CatchUpTextIndexAsync();
        await _ledger.Store.Chain.SealAsync();
        await _ledger.AppendAsync(2);

        var verify = await _ledger.Cli.RunAsync("verify");

        verify.ExitCode.ShouldBe(0, verify.Out);
        verify.Out.ShouldContain("Intact.");
    }
}
