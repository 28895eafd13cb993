using Ledger.Core.Analysis;
using Ledger.Core.Events;
using Ledger.Core.Nix;
using Ledger.Core.Timeline;

namespace Ledger.Core.Tests.Analysis;

public class SuspectRankerSpecs
{
    private static readonly DateTimeOffset T = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset From = T.AddHours(-72);
    private static long _seq;

    [Fact]
    public void A_change_that_touched_the_alerting_service_hours_before_ranks_above_an_unrelated_one_minutes_before()
    {
        // Arrange
        var jellyfin = Commit("a1", T.AddHours(-3), "Enable hardware transcoding", "modules/media/jellyfin.nix");
        var grafana = Commit("b2", T.AddMinutes(-20), "New dashboard", "modules/monitoring/grafana.nix");
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [grafana, jellyfin], [], hostHasDeploys: false, limit: 10);

        // Assert
        suspects.Select(s => s.Seq).ShouldBe([jellyfin.Seq, grafana.Seq]);
        suspects[0].Reasons.ShouldContain("touched modules/media/jellyfin.nix (matches job=jellyfin)");
        suspects[0].Reasons.ShouldContain("3 h before");
        suspects[1].Reasons.ShouldBe(["20 min before"]);
    }

    [Fact]
    public void Nothing_after_the_subject_or_before_the_window_is_a_suspect()
    {
        // Arrange
        var after = Commit("c3", T.AddMinutes(10), "Sonarr tweak", "modules/media/jellyfin.nix");
        var old = Commit("d4", From.AddMinutes(-1), "Old jellyfin change", "modules/media/jellyfin.nix");
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [after, old], [], false, 10);

        // Assert
        suspects.ShouldBeEmpty();
    }

    [Fact]
    public void A_changed_line_counts_less_than_a_path_and_a_message_least()
    {
        // Arrange
        var path = Commit("a1", T.AddHours(-5), "x", "modules/media/jellyfin.nix");
        var line = Commit("b2", T.AddHours(-5), "y", "modules/media/containers.nix", patch: "@@ -1 +1 @@\n-  image = \"jellyfin/jellyfin:10.9\";\n+  image = \"jellyfin/jellyfin:10.10\";\n");
        var message = Commit("c3", T.AddHours(-5), "Bump jellyfin", "flake.lock");
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [message, line, path], [], false, 10);

        // Assert
        suspects.Select(s => s.Seq).ShouldBe([path.Seq, line.Seq, message.Seq]);
        suspects[1].Reasons[0].ShouldBe("changed a line that mentions jellyfin in modules/media/containers.nix (matches job=jellyfin)");
        suspects[2].Reasons[0].ShouldBe("its message mentions jellyfin (matches job=jellyfin)");
    }

    [Fact]
    public void Where_the_host_has_deploys_a_commit_never_deployed_ranks_below_the_deployed_ones()
    {
        // Arrange
        var deployed = Commit("a1", T.AddHours(-4), "Grafana theme", "modules/monitoring/grafana.nix");
        var deploy = Entry(T.AddHours(-3), new DeployFinished("mediabox", "root", "d1", "/etc/nixos", "a1", "switch", true, DeployOutcome.Succeeded, 431, 1000, 0, null, null));
        var undeployed = Commit("b2", T.AddHours(-1), "Jellyfin experiment", "modules/media/jellyfin.nix", parents: ["a1"]);
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [deployed, deploy, undeployed], [], hostHasDeploys: true, limit: 10);

        // Assert
        suspects.Select(s => s.Seq).ShouldBe([deployed.Seq, deploy.Seq, undeployed.Seq]);
        suspects.Single(s => s.Seq == deployed.Seq).Reasons.ShouldContain($"deployed 3 h before the alert (deploy #{deploy.Seq}, generation 431)");
        var last = suspects[^1];
        last.NotDeployed.ShouldBeTrue();
        last.Reasons.ShouldContain("not deployed before the alert");
    }

    [Fact]
    public void A_deploy_carries_the_commits_it_switched_to_and_their_ancestors()
    {
        // Arrange
        var first = Commit("a1", T.AddHours(-6), "Jellyfin GPU", "modules/media/jellyfin.nix");
        var second = Commit("b2", T.AddHours(-5), "Docs", "README.md", parents: ["a1"]);
        var deploy = Entry(T.AddHours(-2), new DeployFinished("mediabox", "root", "d1", "/etc/nixos", "b2", "switch", true, DeployOutcome.Succeeded, 12, 1000, 0, null, null));
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [first, second, deploy], [], true, 10);

        // Assert
        suspects.ShouldAllBe(s => !s.NotDeployed);
        suspects.Single(s => s.Seq == deploy.Seq).Reasons[0].ShouldBe("switched to a1, which touched modules/media/jellyfin.nix (matches job=jellyfin)");
    }

    [Fact]
    public void A_container_that_stopped_across_a_change_is_a_reason_and_counts_more_when_the_subject_names_it()
    {
        // Arrange
        var before = Entry(T.AddHours(-2), Containers(("jellyfin", "running"), ("sonarr", "running")));
        var change = Commit("a1", T.AddHours(-1), "Tune limits", "modules/limits.nix");
        var after = Entry(T.AddMinutes(5), Containers(("jellyfin", "restarting"), ("sonarr", "running")));
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [before, change], [after], false, 10);
        var overWindow = SuspectRanker.OverWindow(subject, From, [before, change, after]);

        // Assert
        suspects.Single().Reasons.ShouldContain($"across it, container jellyfin went from running to restarting (#{before.Seq} → #{after.Seq}; matches job=jellyfin)");
        overWindow.Select(c => c.Text).ShouldBe(["container jellyfin went from running to restarting"]);
    }

    [Fact]
    public void A_check_that_passed_before_and_failed_after_is_a_state_change()
    {
        // Arrange
        var pass = Entry(T.AddHours(-2), Check("jellyfin-http", ValidationStatus.Pass));
        var change = Commit("a1", T.AddHours(-1), "Proxy change", "modules/nginx.nix");
        var fail = Entry(T.AddMinutes(-30), Check("jellyfin-http", ValidationStatus.Fail));
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var reasons = SuspectRanker.Rank(subject, terms, From, [pass, change, fail], [], false, 10).Single().Reasons;

        // Assert
        reasons.ShouldContain($"across it, check jellyfin-http passed before and failed after: 503 (#{pass.Seq} → #{fail.Seq}; matches job=jellyfin)");
    }

    [Fact]
    public void The_same_input_gives_the_same_order_and_ties_go_to_the_later_change()
    {
        // Arrange
        var early = Commit("a1", T.AddHours(-2), "x", "a.nix");
        var late = Commit("b2", T.AddHours(-2), "y", "b.nix");
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var once = SuspectRanker.Rank(subject, terms, From, [early, late], [], false, 10);
        var again = SuspectRanker.Rank(subject, terms, From, [late, early], [], false, 10);

        // Assert
        once.Select(s => s.Seq).ShouldBe([late.Seq, early.Seq]);
        again.Select(s => s.Seq).ShouldBe(once.Select(s => s.Seq));
    }

    [Fact]
    public void A_failed_deploy_as_subject_names_the_commit_it_switched_to()
    {
        // Arrange
        var other = Commit("a1", T.AddMinutes(-30), "Other", "x.nix");
        var target = Commit("b2", T.AddHours(-2), "Target", "y.nix");
        var failed = Entry(T, new DeployFinished("mediabox", "root", "d1", "/etc/nixos", "b2", "switch", false, DeployOutcome.Failed, null, 1000, 1, null, "build failed"));
        var subject = new WhySubject(failed.Seq, T, "mediabox", "deploy", "deploy failed", "the failed deploy", failed.Data);

        // Act
        var suspects = SuspectRanker.Rank(subject, [], From, [other, target, failed], [], true, 10);

        // Assert
        suspects[0].Seq.ShouldBe(target.Seq);
        suspects[0].Reasons.ShouldContain("the commit the failed deploy switched to");
        suspects.ShouldNotContain(s => s.Seq == failed.Seq);
    }

    [Fact]
    public void A_deploy_that_changed_the_named_package_outranks_a_commit_that_only_mentions_it()
    {
        // Arrange: the admin's commit mentions jellyfin in its message; the nixpkgs bump it carried changed jellyfin itself.
        var bump = Entry(T.AddHours(-5), new ConfigEdited("mediabox", "root", "/etc/nixos", "c3", [], "Admin", "admin@example.org", T.AddHours(-5), "flake.lock: Update", "flake.lock: Update",
            [new FileChange("flake.lock", null, FileChangeKind.Modified, 6, 6, [], false, null)], 6, 6,
            FlakeInputs: [new FlakeInputChange("nixpkgs", "updated", "aaa", "bbb", "2026-11-01T00:00:00Z", "2026-11-15T00:00:00Z", "nixos-26.05", "nixos-26.05")]));
        var note = Commit("d4", T.AddHours(-4), "Note about jellyfin", "README.md");
        PackageChange[] packages = [new("jellyfin", ["10.9.11"], ["10.10.3"], 20480), new("zstd", [], [], 20480), new("sonarr", ["4.0.9"], ["4.0.10"], null)];
        var deploy = Entry(T.AddHours(-3), new DeployFinished("mediabox", "root", "d1", "/etc/nixos", "d4", "switch", true, DeployOutcome.Succeeded, 42, 1000, 0, null, null, FromGeneration: 41, PackageChanges: packages));
        var (subject, terms) = Alert("JellyfinDown", "jellyfin");

        // Act
        var suspects = SuspectRanker.Rank(subject, terms, From, [bump, note, deploy], [], true, 10);

        // Assert
        suspects[0].Seq.ShouldBe(deploy.Seq);
        suspects[0].Reasons.ShouldContain("changed jellyfin 10.9.11 → 10.10.3 (matches job=jellyfin)");
        suspects.Single(s => s.Seq == bump.Seq).Reasons.ShouldContain("moved flake inputs: nixpkgs +14 days");
    }

    [Fact]
    public void A_switch_made_outside_Ledger_is_a_suspect_and_says_what_it_changed()
    {
        var generation = Entry(T.AddHours(-1), new GenerationActivated("mediabox", "ledger-serve", 41, 42, [new PackageChange("nvidia-x11", ["550.107.02"], ["565.57.01"], 1024 * 1024)], null, null, null, null));
        var (subject, terms) = Alert("GpuDown", "nvidia");

        var suspect = SuspectRanker.Rank(subject, terms, From, [generation], [], false, 10).ShouldHaveSingleItem();

        suspect.Kind.ShouldBe("generation");
        suspect.Reasons.ShouldContain("changed nvidia-x11 550.107.02 → 565.57.01 (matches job=nvidia)");
    }

    private static (WhySubject Subject, IReadOnlyList<Term> Terms) Alert(string name, string job)
    {
        var alert = new AlertFired("mediabox", "alertmanager", name, "fp", T, "critical", new Dictionary<string, string> { ["job"] = job }, new Dictionary<string, string>(), null);
        var e = Entry(T, alert);
        return (new WhySubject(e.Seq, T, "mediabox", "alert", name, "the alert", alert), SubjectTerms.Of(alert, null, "mediabox"));
    }

    private static TimelineEntry Commit(string sha, DateTimeOffset at, string message, string path, string? patch = null, string[]? parents = null) =>
        Entry(at, new ConfigEdited("mediabox", "root", "/etc/nixos", sha, parents ?? [], "Admin", "admin@example.org", at, message, message,
            [new FileChange(path, null, FileChangeKind.Modified, 1, 1, [], false, patch)], 1, 1));

    private static ContainerSnapshotTaken Containers(params (string Name, string State)[] containers) =>
        new("mediabox", "ledger", "podman", [.. containers.Select(c => new ContainerState("id-" + c.Name, c.Name, "img", c.State, null, 0, null, []))]);

    private static ValidationRun Check(string name, ValidationStatus status) =>
        new("mediabox", "ledger", name, "http", status, 10, status == ValidationStatus.Pass ? "200" : "503", [], null, false, null);

    private static TimelineEntry Entry(DateTimeOffset at, ILedgerEvent e)
    {
        var d = EventCatalogue.Describe(e.GetType());
        return new TimelineEntry(Interlocked.Increment(ref _seq), at, e.Host, e.Actor, d.Kind, d.Alias, EventCatalogue.Title(e), "s", e);
    }
}
