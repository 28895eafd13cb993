using Ledger.Core.Analysis;
using Ledger.Core.Events;

namespace Ledger.Core.Tests.Analysis;

public class SubjectTermsSpecs
{
    private static readonly DateTimeOffset Fired = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_alert_name_is_split_at_case_changes_and_its_failure_words_are_dropped()
    {
        // Act
        var words = SubjectTerms.Of(Alert("JellyfinDown", []), null).Select(t => t.Word);

        // Assert
        words.ShouldBe(["jellyfin"]);
    }

    [Fact]
    public void A_run_of_capitals_ends_at_the_capital_that_starts_the_next_word()
    {
        SubjectTerms.Words("GPUTemperatureHigh").ShouldBe(["gpu", "temperature", "high"]);
        SubjectTerms.Words("podman-jellyfin.service").ShouldBe(["podman", "jellyfin", "service"]);
    }

    [Fact]
    public void Label_values_name_their_label_and_come_before_the_alert_name()
    {
        // Act
        var terms = SubjectTerms.Of(Alert("SonarrQueueStuck", new() { ["job"] = "sonarr", ["container"] = "sonarr", ["severity"] = "critical" }), null);

        // Assert
        terms.ShouldBe([new Term("sonarr", "job=sonarr"), new Term("queue", "alert name SonarrQueueStuck")]);
    }

    [Fact]
    public void The_host_part_of_instance_is_a_term_but_an_address_or_the_hosts_own_name_is_not()
    {
        // Act
        var named = SubjectTerms.Of(Alert("TargetDown", new() { ["instance"] = "jellyfin.media.lan:8096" }), null, "mediabox");
        var address = SubjectTerms.Of(Alert("TargetDown", new() { ["instance"] = "10.0.0.5:9100" }), null, "mediabox");
        var own = SubjectTerms.Of(Alert("TargetDown", new() { ["instance"] = "mediabox:9100" }), null, "mediabox");

        // Assert
        named.ShouldBe([new Term("jellyfin", "instance=jellyfin.media.lan:8096")]);
        address.ShouldBeEmpty();
        own.ShouldBeEmpty();
    }

    [Fact]
    public void A_failed_check_a_unit_and_the_about_words_give_terms()
    {
        // Arrange
        var check = new ValidationRun("mediabox", "ledger", "jellyfin-http", "http", ValidationStatus.Fail, 10, "503", [new Finding("radarr", "exited")], null, false, null);
        var restart = new ServiceRestarted("mediabox", "root", "podman-jellyfin.service", null, true);

        // Act
        var fromCheck = SubjectTerms.Of(check, null).Select(t => t.Word);
        var fromUnit = SubjectTerms.Of(restart, null).Select(t => t.Word);
        var fromAbout = SubjectTerms.Of(null, "jellyfin stalled around 03:00 after the scrape change");

        // Assert
        fromCheck.ShouldBe(["jellyfin", "radarr"]);
        fromUnit.ShouldBe(["jellyfin"]);
        fromAbout.Select(t => t.Word).ShouldBe(["jellyfin", "scrape", "change"]);
        fromAbout.ShouldAllBe(t => t.Source == "--about");
    }

    private static AlertFired Alert(string name, Dictionary<string, string> labels) =>
        new("mediabox", "alertmanager", name, "fp", Fired, "critical", labels, new Dictionary<string, string>(), null);
}
