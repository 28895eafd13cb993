using Ledger.Core.Events;
using Ledger.Core.Snapshots;

namespace Ledger.Core.Tests;

public class ContainerCheckSpecs
{
    private static readonly ContainerCheckSpec Media = new(["jellyfin", "sonarr", "radarr"], MaxRestarts: 2);

    [Fact]
    public void All_expected_containers_running_passes()
    {
        // Arrange
        ContainerState[] current = [Container("jellyfin", health: "healthy"), Container("sonarr"), Container("radarr"), Container("extra", "exited")];

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(Media, current, previous: null);

        // Assert
        status.ShouldBe(ValidationStatus.Pass);
        summary.ShouldBe("3 of 3 expected containers running");
        findings.ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_expected_container_fails_naming_it()
    {
        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(Media, [Container("jellyfin"), Container("sonarr")], previous: null);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        summary.ShouldBe("1 problem: radarr is missing");
        findings.ShouldBe([new Finding("radarr", "radarr is missing")]);
    }

    [Fact]
    public void Expected_containers_that_are_not_running_fail_one_finding_each_with_their_state()
    {
        // Arrange
        ContainerState[] current = [Container("jellyfin", "exited"), Container("sonarr", "created"), Container("radarr", "paused")];

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(Media, current, previous: null);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        findings.ShouldBe(
        [
            new Finding("jellyfin", "jellyfin exited"),
            new Finding("sonarr", "sonarr is created, not running"),
            new Finding("radarr", "radarr is paused, not running"),
        ]);
        summary.ShouldBe("3 problems: jellyfin exited; sonarr is created, not running; radarr is paused, not running");
    }

    [Fact]
    public void More_restarts_since_the_last_snapshot_than_allowed_is_a_restart_loop()
    {
        // Arrange
        ContainerState[] previous = [Container("jellyfin"), Container("sonarr", restarts: 10), Container("radarr", restarts: 1)];
        ContainerState[] current = [Container("jellyfin", "exited"), Container("sonarr", restarts: 15), Container("radarr", restarts: 3)];

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(Media, current, previous);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        summary.ShouldBe("2 problems: jellyfin exited; sonarr restarted 5 times since the last snapshot");
        findings.ShouldBe(
        [
            new Finding("jellyfin", "jellyfin exited"),
            new Finding("sonarr", "sonarr restarted 5 times since the last snapshot"),
        ]);
    }

    [Fact]
    public void Restarts_up_to_the_limit_pass()
    {
        // Act
        var (status, _, _) = ContainerCheck.Evaluate(
            Media,
            [Container("jellyfin", restarts: 2), Container("sonarr"), Container("radarr")],
            [Container("jellyfin", restarts: 0), Container("sonarr"), Container("radarr")]);

        // Assert
        status.ShouldBe(ValidationStatus.Pass);
    }

    [Fact]
    public void A_restart_loop_in_a_container_that_is_not_expected_still_fails()
    {
        // Arrange
        var spec = new ContainerCheckSpec(["jellyfin"], MaxRestarts: 0);

        // Act
        var (status, summary, _) = ContainerCheck.Evaluate(
            spec, [Container("jellyfin"), Container("prowlarr", restarts: 1)], [Container("jellyfin"), Container("prowlarr")]);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        summary.ShouldBe("1 problem: prowlarr restarted once since the last snapshot");
    }

    [Fact]
    public void A_re_created_container_counts_one_restart_for_its_re_creation_and_all_of_its_own()
    {
        // Arrange: 1 re-creation + 4 restarts of the new container = 5, over the limit of 2.
        var spec = new ContainerCheckSpec(["sonarr"], MaxRestarts: 2);

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(
            spec, [Container("sonarr", id: "new", restarts: 4)], [Container("sonarr", id: "old", restarts: 9)]);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        findings.ShouldBe([new Finding("sonarr", "sonarr re-created (restarted) and restarted 4 times more since the last snapshot")]);
        summary.ShouldBe("1 problem: sonarr re-created (restarted) and restarted 4 times more since the last snapshot");
    }

    [Fact]
    public void A_re_creation_is_a_restart_as_systemd_restarts_a_nixos_oci_container()
    {
        // Arrange: podman run --rm under systemd; the crash-restarted jellyfin is a new container with a counter of 0.
        var spec = new ContainerCheckSpec(["jellyfin", "sonarr"], MaxRestarts: 0);

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(
            spec,
            [Container("jellyfin", id: "new"), Container("sonarr", id: "same")],
            [Container("jellyfin", id: "old"), Container("sonarr", id: "same")]);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        findings.ShouldBe([new Finding("jellyfin", "jellyfin re-created (restarted) since the last snapshot")]);
        summary.ShouldBe("1 problem: jellyfin re-created (restarted) since the last snapshot");
    }

    [Fact]
    public void A_re_creation_and_one_restart_more_is_named_as_such()
    {
        // Act
        var (_, _, findings) = ContainerCheck.Evaluate(
            new ContainerCheckSpec(["radarr"], MaxRestarts: 1), [Container("radarr", id: "new", restarts: 1)], [Container("radarr", id: "old")]);

        // Assert
        findings.ShouldBe([new Finding("radarr", "radarr re-created (restarted) and restarted once more since the last snapshot")]);
    }

    [Fact]
    public void One_re_creation_is_within_a_limit_of_one()
    {
        // Arrange: a deploy that pulled a new image re-creates the container once.
        var spec = new ContainerCheckSpec(["sonarr"], MaxRestarts: 1);

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(
            spec, [Container("sonarr", id: "new")], [Container("sonarr", id: "old", restarts: 3)]);

        // Assert
        status.ShouldBe(ValidationStatus.Pass);
        summary.ShouldBe("1 of 1 expected containers running");
        findings.ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_previous_snapshot_restart_counts_are_not_judged()
    {
        // Act
        var (status, _, _) = ContainerCheck.Evaluate(
            Media, [Container("jellyfin", restarts: 50), Container("sonarr"), Container("radarr")], previous: null);

        // Assert
        status.ShouldBe(ValidationStatus.Pass);
    }

    [Fact]
    public void Any_unhealthy_container_fails_expected_or_not()
    {
        // Arrange
        ContainerState[] current =
        [
            Container("jellyfin", health: "unhealthy"),
            Container("sonarr", health: "starting"),
            Container("radarr"),
            Container("grafana", health: "unhealthy"),
        ];

        // Act
        var (status, summary, findings) = ContainerCheck.Evaluate(Media, current, previous: null);

        // Assert
        status.ShouldBe(ValidationStatus.Fail);
        findings.ShouldBe(
        [
            new Finding("grafana", "grafana is unhealthy"),
            new Finding("jellyfin", "jellyfin is unhealthy"),
        ]);
        summary.ShouldBe("2 problems: grafana is unhealthy; jellyfin is unhealthy");
    }

    [Fact]
    public void An_expected_name_listed_twice_is_checked_once()
    {
        // Act
        var (_, summary, findings) = ContainerCheck.Evaluate(
            new ContainerCheckSpec(["jellyfin", "jellyfin"], 0), [], previous: null);

        // Assert
        findings.ShouldBe([new Finding("jellyfin", "jellyfin is missing")]);
        summary.ShouldBe("1 problem: jellyfin is missing");
    }

    [Fact]
    public void With_nothing_expected_the_summary_says_so()
    {
        // Act
        var (status, summary, _) = ContainerCheck.Evaluate(
            new ContainerCheckSpec([], 3), [Container("jellyfin"), Container("sonarr", "exited")], previous: null);

        // Assert
        status.ShouldBe(ValidationStatus.Pass);
        summary.ShouldBe("no containers expected; 2 listed, none restarting or unhealthy");
    }

    [Fact]
    public void A_negative_restart_limit_is_refused()
    {
        // Act + Assert
        Should.Throw<ArgumentOutOfRangeException>(() => ContainerCheck.Evaluate(new ContainerCheckSpec(["jellyfin"], -1), [], null));
    }

    private static ContainerState Container(string name, string state = "running", string? id = null, int restarts = 0, string? health = null) =>
        new(id ?? $"{name}-id", name, $"docker.io/linuxserver/{name}:latest", state, health, restarts, null, []);
}
