using Ledger.App.Rendering;
using Ledger.Core.Timeline;

namespace Ledger.IntegrationTests.Output;

/// <summary><c>ledger timeline</c>'s text rows at 80 columns and in a pipe.</summary>
public sealed class TextTableSpecs
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static readonly TimelineEntry[] Page =
    [
        Entry(12345, "mediabox", "ledger-serve", "container-snapshot", "4 containers: jellyfin, sonarr, radarr, prowlarr all running and healthy"),
        Entry(12344, "mediabox", "root@mediabox", "config-edit", "3e180b70 Enable NVIDIA hardware transcoding for jellyfin and pin the driver to the production branch (2 files, +14/-3)"),
    ];

    [Fact]
    public void At_80_columns_one_hosts_rows_fit_keep_the_year_and_give_the_title_40_columns_or_more()
    {
        // Act
        var table = TextTable.For(Page, showHost: false, width: 80, Utc);
        var rows = Page.Select(table.Row).ToList();

        // Assert
        table.Header.ShouldBe("  SEQ TIME             KIND        TITLE  (times in UTC)");
        table.Header.IndexOf("TITLE", StringComparison.Ordinal).ShouldBeLessThanOrEqualTo(40);
        rows.ShouldAllBe(r => r.Length < 80);
        rows[0].ShouldStartWith("12345 2026-11-27 02:13 containers  4 containers");
        rows[1].ShouldEndWith("3e180b70 Enable NVIDIA hardware transcoding…");
        rows[1].ShouldNotContain("root@", Case.Sensitive, "ACTOR is left out below 120 columns");
    }

    [Fact]
    public void In_a_pipe_the_host_and_actor_are_whole_and_the_title_is_not_cut()
    {
        var table = TextTable.For(Page, showHost: true, width: null, Utc);

        table.Header.ShouldBe("  SEQ TIME             HOST     KIND        ACTOR         TITLE  (times in UTC)");
        table.Row(Page[1]).ShouldEndWith("root@mediabox 3e180b70 Enable NVIDIA hardware transcoding for jellyfin and pin the driver to the production branch (2 files, +14/-3)");
        table.Row(Page[0]).ShouldContain(" ledger-serve  ");
    }

    [Fact]
    public void The_header_names_the_zone_the_times_are_in_and_the_rows_are_in_it()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var table = TextTable.For(Page, showHost: false, width: 80, berlin);

        table.Header.ShouldEndWith("TITLE  (times in Europe/Berlin)");
        table.Header.Length.ShouldBeLessThan(80);
        table.Row(Page[0]).ShouldStartWith("12345 2026-11-27 03:13 ", Case.Sensitive, "02:13 UTC is 03:13 in Berlin in November");
    }

    [Fact]
    public void A_terminal_too_narrow_for_the_zone_keeps_the_columns()
    {
        var table = TextTable.For(Page, showHost: true, width: 48, TimeZoneInfo.FindSystemTimeZoneById("America/Argentina/Buenos_Aires"));

        table.Header.ShouldNotContain("times in");
        table.Header.ShouldEndWith("TITLE");
    }

    private static TimelineEntry Entry(long seq, string host, string actor, string kind, string title) =>
        new(seq, new DateTimeOffset(2026, 11, 27, 2, 13, 0, TimeSpan.Zero), host, actor, kind, kind.Replace('-', '_'), title, $"{host}/x/{seq}", new object());
}
