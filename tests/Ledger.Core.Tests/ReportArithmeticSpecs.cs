using Ledger.Core.Reports;
using Ledger.Core.Text;

namespace Ledger.Core.Tests;

public class ReportArithmeticSpecs
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void A_month_runs_from_local_midnight_to_local_midnight_and_is_shorter_when_clocks_spring_forward()
    {
        var march = ReportMonth.Parse("2026-03");

        march.Start(Berlin).ShouldBe(new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero));
        march.End(Berlin).ShouldBe(new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero));
        (march.End(Berlin) - march.Start(Berlin)).TotalHours.ShouldBe(743);
        var october = ReportMonth.Parse("2026-10");
        (october.End(Berlin) - october.Start(Berlin)).TotalHours.ShouldBe(745);
    }

    [Fact]
    public void An_instant_near_midnight_belongs_to_the_month_of_its_local_date()
    {
        ReportMonth.Containing(new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero), Berlin).ShouldBe(new ReportMonth(2026, 4));
        ReportMonth.Containing(new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero), TimeZoneInfo.Utc).ShouldBe(new ReportMonth(2026, 3));
        new ReportMonth(2026, 1).Previous.ShouldBe(new ReportMonth(2025, 12));
        new ReportMonth(2025, 12).Next.ToString().ShouldBe("2026-01");
    }

    [Theory]
    [InlineData("2026-3")]
    [InlineData("March")]
    [InlineData("2026-13")]
    public void A_month_that_is_not_YYYY_MM_is_refused(string text)
    {
        Should.Throw<Ledger.Core.Errors.LedgerException>(() => ReportMonth.Parse(text)).Message.ShouldContain("use YYYY-MM");
    }

    [Fact]
    public void Growth_per_day_and_days_to_full_come_from_the_first_and_last_reading()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var growth = StorageTrend.GrowthPerDay(100, start, 400, start.AddDays(30));

        growth.ShouldBe(10);
        StorageTrend.DaysToFull(95, growth).ShouldBe(9);
        StorageTrend.DaysToFull(95, -1).ShouldBeNull();
        StorageTrend.DaysToFull(95, 0).ShouldBeNull();
        StorageTrend.GrowthPerDay(100, start, 400, start.AddMinutes(10)).ShouldBeNull("ten minutes say nothing about a trend");
    }

    [Fact]
    public void Issue_20_one_reading_or_readings_less_than_a_day_apart_give_no_projection()
    {
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var one = StorageTrend.GrowthPerDay(100, at, 100, at);
        var hours = StorageTrend.GrowthPerDay(100, at, 400, at.AddHours(23));

        one.ShouldBeNull();
        hours.ShouldBeNull();
        StorageTrend.DaysToFullText(one, StorageTrend.DaysToFull(1000, one)).ShouldBe("n/a");
        StorageTrend.GrowthPerDay(100, at, 400, at.AddDays(1)).ShouldBe(300);
    }

    [Theory]
    [InlineData(144269d, "> 1 year")]
    [InlineData(366d, "> 1 year")]
    [InlineData(365d, "365")]
    [InlineData(3d, "3")]
    [InlineData(null, "not filling")]
    public void Issue_20_days_to_full_beyond_a_year_read_more_than_a_year(double? days, string text)
    {
        StorageTrend.DaysToFullText(10, days).ShouldBe(text);
    }

    [Fact]
    public void The_95th_percentile_is_the_nearest_rank_like_percentile_disc()
    {
        var values = Enumerable.Range(1, 20).Select(i => (double)i).Reverse();

        Percentile.NearestRank(values, 0.95).ShouldBe(19);
        Percentile.NearestRank([7], 0.95).ShouldBe(7);
        Percentile.NearestRank([], 0.95).ShouldBeNull();
        Percentile.Mean([1, 2, 6]).ShouldBe(3);
        Percentile.Mean([]).ShouldBeNull();
    }

    [Fact]
    public void An_alert_that_fires_and_resolves_three_times_within_an_hour_is_flapping()
    {
        var t = new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);
        var transitions = new List<AlertTransition>();
        for (int i = 0; i < 3; i++)
        {
            transitions.Add(new AlertTransition("fp1", "DiskIOHigh", t.AddMinutes(i * 20), true));
            transitions.Add(new AlertTransition("fp1", "DiskIOHigh", t.AddMinutes((i * 20) + 5), false));
        }

        // Three cycles spread over three days: a real, recurring problem, not flapping.
        for (int i = 0; i < 3; i++)
        {
            transitions.Add(new AlertTransition("fp2", "BackupLate", t.AddDays(i), true));
            transitions.Add(new AlertTransition("fp2", "BackupLate", t.AddDays(i).AddHours(1), false));
        }

        // Firing notifications repeated while the alert stays open are one cycle.
        transitions.Add(new AlertTransition("fp3", "GpuHot", t, true));
        transitions.Add(new AlertTransition("fp3", "GpuHot", t.AddMinutes(1), true));
        transitions.Add(new AlertTransition("fp3", "GpuHot", t.AddMinutes(2), true));

        var flapping = Flapping.Detect(transitions.AsEnumerable().Reverse(), Flapping.DefaultWindow);

        flapping.ShouldBe([new FlappingAlert("DiskIOHigh", 3)]);
    }

    [Fact]
    public void A_sparkline_scales_values_to_eight_bars_and_leaves_gaps_blank()
    {
        Sparkline.Render([0, 50, 100, null, 100], 0, 100).ShouldBe("▁▅█ █");
        Sparkline.Render([3, 3]).ShouldBe("▁▁");
        Sparkline.Render([null, null]).ShouldBe("  ");
    }

    [Fact]
    public void Doc_names_are_date_short_sha_and_slug_and_a_clash_gets_a_suffix()
    {
        var day = new DateOnly(2026, 3, 14);

        ChangeDocNames.FileName(day, "3f2a9c1e77aa", "Enable NVIDIA transcoding (Jellyfin) — café!").ShouldBe("2026-03-14-3f2a9c1e-enable-nvidia-transcoding-jellyfin-cafe.md");
        ChangeDocNames.Assign([(day, "abcdef0123", "Same"), (day, "abcdef0123", "Same")]).ShouldBe(["2026-03-14-abcdef01-same.md", "2026-03-14-abcdef01-same-2.md"]);
        Slug.From("***").ShouldBe("change");
        Slug.From(string.Join(' ', Enumerable.Repeat("word", 30))).Length.ShouldBeLessThanOrEqualTo(Slug.MaxLength);
    }
}
