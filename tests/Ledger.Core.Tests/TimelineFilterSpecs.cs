using Ledger.Core.Errors;
using Ledger.Core.Timeline;

namespace Ledger.Core.Tests;

public class TimelineFilterSpecs
{
    private static readonly TimelineQuery Base = new() { Host = "mediabox", Limit = 200, BeforeSeq = 99 };

    [Fact]
    public void Free_text_becomes_the_payload_search_and_the_text_that_n_looks_for()
    {
        // Act
        var filter = TimelineFilter.Parse("  jellyfin   memory ", Base, TimeZoneInfo.Utc);

        // Assert
        filter.Text.ShouldBe("jellyfin memory");
        filter.Query.Grep.ShouldBe("jellyfin memory");
        filter.Query.Host.ShouldBe("mediabox");
        filter.Query.Limit.ShouldBe(200);
        filter.Query.BeforeSeq.ShouldBeNull();
    }

    [Fact]
    public void Tokens_set_kinds_the_affected_host_and_dates()
    {
        // Act
        var filter = TimelineFilter.Parse("kind:config-edit kind:deploy,restore host:other since:2026-01-02 until:2026-01-03 nvidia", Base, TimeZoneInfo.Utc);

        // Assert
        filter.Query.Kinds.ShouldBe(["config-edit", "deploy", "restore"]);
        filter.Query.Host.ShouldBeNull("host: is what can change the host, not only what it recorded");
        filter.Query.Affects.ShouldBe("other");
        filter.Query.Since.ShouldBe(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        filter.Query.Until.ShouldBe(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero).AddDays(1).AddTicks(-1));
        filter.Text.ShouldBe("nvidia");
    }

    [Fact]
    public void Only_tokens_leave_no_text()
    {
        var filter = TimelineFilter.Parse("kind:validation", Base, TimeZoneInfo.Utc);

        filter.Text.ShouldBeNull();
        filter.Query.Grep.ShouldBeNull();
    }

    [Fact]
    public void An_unknown_kind_is_refused_with_the_known_ones()
    {
        var e = Should.Throw<LedgerException>(() => TimelineFilter.Parse("kind:nope", Base, TimeZoneInfo.Utc));

        e.Message.ShouldContain("config-edit");
    }

    [Fact]
    public void A_colon_inside_free_text_is_still_text()
    {
        TimelineFilter.Parse("http://x", Base, TimeZoneInfo.Utc).Text.ShouldBe("http://x");
    }
}
