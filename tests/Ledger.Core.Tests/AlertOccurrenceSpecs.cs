using Ledger.Core.Reports;

namespace Ledger.Core.Tests;

/// <summary>Firings paired with resolutions per fingerprint: the one model of the report's alert counts (issue 20).</summary>
public class AlertOccurrenceSpecs
{
    private static readonly DateTimeOffset T = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);

    private static AlertTransition Fired(string fp, DateTimeOffset at, string name = "DiskFull", long seq = 0) => new(fp, name, at, true, "warning", seq);

    private static AlertTransition Resolved(string fp, DateTimeOffset at, string name = "DiskFull", long seq = 0) => new(fp, name, at, false, null, seq);

    [Fact]
    public void Issue_20_an_alert_fired_and_resolved_once_is_one_resolved_occurrence_and_not_open()
    {
        var pairing = AlertOccurrences.Pair([], [Fired("fp1", T, seq: 1), Resolved("fp1", T.AddMinutes(9), seq: 2)]);

        var o = pairing.Occurrences.ShouldHaveSingleItem();
        o.Open.ShouldBeFalse();
        o.SecondsToResolve.ShouldBe(540);
        pairing.Open.ShouldBeEmpty();
        pairing.RepeatedResolutions.ShouldBe(0);
    }

    [Fact]
    public void Issue_20_a_resolution_sent_four_times_for_one_firing_is_one_occurrence_and_three_ignored_repeats()
    {
        var resolutions = Enumerable.Range(0, 4).Select(i => Resolved("fp1", T.AddMinutes(5 + i), seq: 2 + i));

        var pairing = AlertOccurrences.Pair([], [Fired("fp1", T, seq: 1), .. resolutions]);

        pairing.Occurrences.ShouldHaveSingleItem().ResolvedAt.ShouldBe(T.AddMinutes(5));
        pairing.RepeatedResolutions.ShouldBe(3);
        pairing.ResolvedFromBefore.ShouldBeEmpty();
    }

    [Fact]
    public void A_resolution_of_an_alert_fired_before_the_month_is_counted_apart_from_the_months_firings()
    {
        var before = Fired("fp-old", T.AddDays(-12), "NodeDown", 1);

        var pairing = AlertOccurrences.Pair([before], [Resolved("fp-old", T, "NodeDown", 9), Resolved("fp-never-fired", T, "Other", 10)]);

        pairing.Occurrences.ShouldBeEmpty();
        pairing.ResolvedFromBefore.ShouldHaveSingleItem().AlertName.ShouldBe("NodeDown");
        pairing.RepeatedResolutions.ShouldBe(1, "a resolution of a fingerprint that is not firing ends nothing");
        pairing.Open.ShouldBeEmpty();
    }

    [Fact]
    public void A_firing_without_a_resolution_is_open_and_one_open_at_the_start_stays_open_to_the_end()
    {
        var pairing = AlertOccurrences.Pair([Fired("fp-old", T.AddDays(-40), "BackupLate")], [Fired("fp1", T.AddDays(3), "GpuHot"), Fired("fp2", T, "GpuHot"), Resolved("fp2", T.AddHours(1), "GpuHot")]);

        pairing.Open.Select(o => (o.Fingerprint, o.AlertName)).ShouldBe([("fp-old", "BackupLate"), ("fp1", "GpuHot")]);
        pairing.Occurrences.Count.ShouldBe(2, "only the month's firings are the month's occurrences");
        pairing.Occurrences.Count(o => !o.Open).ShouldBe(1);
    }

    [Fact]
    public void Resolutions_pair_by_fingerprint_in_time_order_whatever_their_name_or_arrival_order()
    {
        // The second resolution is recorded first; the names of resolutions do not matter.
        var pairing = AlertOccurrences.Pair([], [Resolved("fp1", T.AddHours(2).AddMinutes(5), "TargetDown", 4), Fired("fp1", T, "GpuHot", 1), Resolved("fp1", T.AddMinutes(5), "TargetDown", 2), Fired("fp1", T.AddHours(2), "GpuHot", 3)]);

        pairing.Occurrences.Select(o => (o.AlertName, o.SecondsToResolve)).ShouldBe([("GpuHot", 300.0), ("GpuHot", 300.0)]);
        pairing.RepeatedResolutions.ShouldBe(0);
    }

    [Fact]
    public void A_resolution_ends_every_firing_of_its_fingerprint_still_open()
    {
        // The resolution of the first firing was lost: when the alert resolves, both are over.
        var pairing = AlertOccurrences.Pair([], [Fired("fp1", T), Fired("fp1", T.AddHours(1)), Resolved("fp1", T.AddHours(2))]);

        pairing.Occurrences.ShouldAllBe(o => o.ResolvedAt == T.AddHours(2));
        pairing.Open.ShouldBeEmpty();
    }
}
