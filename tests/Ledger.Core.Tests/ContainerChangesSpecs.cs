using Ledger.Core.Events;
using Ledger.Core.Snapshots;

namespace Ledger.Core.Tests;

public class ContainerChangesSpecs
{
    private static readonly DateTimeOffset Started = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_a_previous_snapshot_every_container_is_added_and_nothing_else_changed()
    {
        // Arrange
        var jellyfin = Container("jellyfin", restarts: 4, health: "healthy");
        var sonarr = Container("sonarr", state: "exited");

        // Act
        var changes = ContainerChanges.Between(null, [sonarr, jellyfin]);

        // Assert
        changes.IsFirstSnapshot.ShouldBeTrue();
        changes.Added.ShouldBe([jellyfin, sonarr]);
        changes.Removed.ShouldBeEmpty();
        changes.StateChanges.ShouldBeEmpty();
        changes.Restarts.ShouldBeEmpty();
        changes.HealthChanges.ShouldBeEmpty();
        changes.IsEmpty.ShouldBeFalse();
    }

    [Fact]
    public void The_same_containers_twice_are_no_change()
    {
        // Arrange
        ContainerState[] previous = [Container("jellyfin", restarts: 2), Container("sonarr")];
        ContainerState[] current = [Container("jellyfin", restarts: 2), Container("sonarr")];

        // Act
        var changes = ContainerChanges.Between(previous, current);

        // Assert
        changes.IsFirstSnapshot.ShouldBeFalse();
        changes.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Containers_are_added_and_removed_by_name()
    {
        // Arrange
        var radarr = Container("radarr");
        var sonarr = Container("sonarr");
        var prowlarr = Container("prowlarr");
        var bazarr = Container("bazarr");

        // Act
        var changes = ContainerChanges.Between([Container("jellyfin"), radarr, sonarr], [Container("jellyfin"), prowlarr, bazarr]);

        // Assert
        changes.Added.ShouldBe([bazarr, prowlarr]);
        changes.Removed.ShouldBe([radarr, sonarr]);
        changes.StateChanges.ShouldBeEmpty();
        changes.Restarts.ShouldBeEmpty();
    }

    [Fact]
    public void A_state_change_names_the_container_and_both_states()
    {
        // Act
        var changes = ContainerChanges.Between(
            [Container("jellyfin", state: "running"), Container("sonarr", state: "created")],
            [Container("jellyfin", state: "exited"), Container("sonarr", state: "running")]);

        // Assert
        changes.StateChanges.ShouldBe(
        [
            new ContainerStateChange("jellyfin", "running", "exited"),
            new ContainerStateChange("sonarr", "created", "running"),
        ]);
    }

    [Fact]
    public void Restarts_are_counted_since_the_previous_snapshot()
    {
        // Act
        var changes = ContainerChanges.Between(
            [Container("jellyfin", restarts: 3), Container("sonarr", restarts: 1)],
            [Container("jellyfin", restarts: 8), Container("sonarr", restarts: 1)]);

        // Assert
        changes.Restarts.ShouldBe([new ContainerRestart("jellyfin", 5, Recreated: false)]);
    }

    [Fact]
    public void A_counter_that_went_down_was_reset_so_only_the_new_count_is_known()
    {
        // Act
        var changes = ContainerChanges.Between([Container("sonarr", restarts: 6)], [Container("sonarr", restarts: 2)]);

        // Assert
        changes.Restarts.ShouldBe([new ContainerRestart("sonarr", 2, Recreated: false)]);
    }

    [Fact]
    public void A_new_id_under_the_same_name_is_a_re_creation_that_counts_as_one_restart_plus_all_of_its_own()
    {
        // Act
        var changes = ContainerChanges.Between(
            [Container("jellyfin", id: "aaa111", restarts: 7), Container("sonarr", id: "bbb222", restarts: 7)],
            [Container("jellyfin", id: "ccc333", restarts: 0), Container("sonarr", id: "ddd444", restarts: 3)]);

        // Assert
        changes.Restarts.ShouldBe(
        [
            new ContainerRestart("jellyfin", 1, Recreated: true),
            new ContainerRestart("sonarr", 4, Recreated: true),
        ]);
        changes.Added.ShouldBeEmpty();
        changes.Removed.ShouldBeEmpty();
    }

    [Fact]
    public void Health_changes_include_gaining_and_losing_a_health_check()
    {
        // Act
        var changes = ContainerChanges.Between(
            [Container("jellyfin", health: "healthy"), Container("radarr", health: null), Container("sonarr", health: "starting")],
            [Container("jellyfin", health: "unhealthy"), Container("radarr", health: "starting"), Container("sonarr", health: null)]);

        // Assert
        changes.HealthChanges.ShouldBe(
        [
            new ContainerHealthChange("jellyfin", "healthy", "unhealthy"),
            new ContainerHealthChange("radarr", null, "starting"),
            new ContainerHealthChange("sonarr", "starting", null),
        ]);
    }

    private static ContainerState Container(
        string name, string state = "running", string? id = null, int restarts = 0, string? health = null) =>
        new(id ?? $"{name}-id", name, $"docker.io/linuxserver/{name}:latest", state, health, restarts, Started, []);
}
