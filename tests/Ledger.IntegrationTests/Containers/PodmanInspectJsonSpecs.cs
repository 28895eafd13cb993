using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Core.Events;

namespace Ledger.IntegrationTests.Containers;

public class PodmanInspectJsonSpecs
{
    /// <summary>
    /// What podman 5 prints for a jellyfin with a failing health check that its restart policy has
    /// restarted four times, and a sonarr without a health check (podman 5 leaves State.Health out
    /// then). Written by hand from podman's InspectContainerData, trimmed to a few fields.
    /// </summary>
    private const string Podman5 = """
        [
          {
            "Id": "9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
            "Created": "2026-11-27T05:00:00.123456789Z",
            "Path": "/jellyfin/jellyfin",
            "State": {
              "OciVersion": "1.2.0",
              "Status": "running",
              "Running": true,
              "Pid": 4242,
              "ExitCode": 0,
              "StartedAt": "2026-11-27T08:30:00.5Z",
              "FinishedAt": "2026-11-27T08:29:58Z",
              "Health": {
                "Status": "unhealthy",
                "FailingStreak": 3,
                "Log": [
                  { "Start": "2026-11-27T08:31:00Z", "End": "2026-11-27T08:31:05Z", "ExitCode": 1, "Output": "curl: (7) Failed to connect" }
                ]
              },
              "CgroupPath": "/machine.slice/libpod-9f1c2b3a4d5e.scope"
            },
            "Image": "0c2e8a1b3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
            "ImageName": "lscr.io/linuxserver/jellyfin:10.10.3",
            "Name": "jellyfin",
            "RestartCount": 4,
            "Driver": "overlay",
            "Config": { "Healthcheck": { "Test": ["CMD-SHELL", "curl -f http://localhost:8096/health"], "Interval": 30000000000 } },
            "HostConfig": { "RestartPolicy": { "Name": "on-failure", "MaximumRetryCount": 0 } }
          },
          {
            "Id": "aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66",
            "State": { "Status": "exited", "Running": false, "ExitCode": 137 },
            "Name": "sonarr",
            "RestartCount": 0
          }
        ]
        """;

    [Fact]
    public void The_real_podman_4_3_1_inspect_of_a_container_without_a_health_check_reports_no_health_and_no_restarts()
    {
        // Act
        var inspection = PodmanInspectJson.Parse(PodmanFixtures.Read("inspect-sonarr-4.3.1.json")).ShouldHaveSingleItem();

        // Assert: podman 4.3.1 writes "Health": { "Status": "" } for a container without a health check.
        inspection.ShouldBe(new PodmanInspection(
            "5dc86dd469582af048402320be884310d982e5672d5fbc405934a1f0a0e1fbc4", RestartCount: 0, HealthReported: true, Health: null));
    }

    [Fact]
    public void Podman_5_inspect_gives_restart_counts_and_health_and_no_health_when_the_check_is_left_out()
    {
        // Act
        var inspections = PodmanInspectJson.Parse(Podman5);

        // Assert
        inspections.ShouldBe(
        [
            new PodmanInspection("9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8", 4, HealthReported: true, "unhealthy"),
            new PodmanInspection("aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66", 0, HealthReported: false, null),
        ]);
    }

    [Fact]
    public void Older_field_spellings_are_read_and_missing_fields_are_not_reported()
    {
        // Arrange: State.Healthcheck is what podman wrote before State.Health; the second has neither count nor state.
        var json = """
            [{ "ID": "a1", "restart_count": 2, "State": { "Healthcheck": { "Status": "Starting" } } },
             { "Id": "b2" },
             { "Id": "c3", "RestartCount": -1, "State": { "Health": null } }]
            """;

        // Act
        var inspections = PodmanInspectJson.Parse(json);

        // Assert
        inspections.ShouldBe(
        [
            new PodmanInspection("a1", 2, HealthReported: true, "starting"),
            new PodmanInspection("b2", null, HealthReported: false, null),
            new PodmanInspection("c3", null, HealthReported: false, null),
        ]);
    }

    [Fact]
    public void What_inspect_reports_is_put_over_what_ps_listed_and_the_rest_is_kept()
    {
        // Arrange
        var listed = new ContainerState("a1", "jellyfin", "jellyfin:10", "running", "healthy", 0, null, ["0.0.0.0:8096->8096/tcp"]);

        // Act
        var reported = new PodmanInspection("a1", 4, HealthReported: true, Health: null).ApplyTo(listed);
        var unreported = new PodmanInspection("a1", null, HealthReported: false, Health: null).ApplyTo(listed);

        // Assert
        reported.ShouldBe(listed with { RestartCount = 4, Health = null });
        unreported.ShouldBe(listed);
    }

    [Fact]
    public void Real_podman_ps_output_is_refused_with_a_pointer_to_podman_inspect()
    {
        // Act
        var error = Should.Throw<CaptureException>(() => PodmanInspectJson.Parse(PodmanFixtures.Read("ps-a-4.3.1.json")));

        // Assert
        error.Message.ShouldBe(
            "`podman inspect --format json` printed a container list Ledger cannot read: entry 1 (id 1b4b1bb0383d) has State as a string, " +
            "the way `podman ps` writes it; give Ledger the output of `podman inspect --format json`. No containers were recorded.");
    }

    [Fact]
    public void Corrupt_json_is_refused_naming_where_it_broke()
    {
        // Arrange: cut the real capture off in the middle of its State.
        var whole = PodmanFixtures.Read("inspect-sonarr-4.3.1.json");
        var cut = whole[..whole.IndexOf("\"Health\"", StringComparison.Ordinal)];

        // Act
        var error = Should.Throw<CaptureException>(() => PodmanInspectJson.Parse(cut));

        // Assert
        error.Message.ShouldStartWith("`podman inspect --format json` printed invalid JSON (line ");
        error.Message.ShouldContain("cut off");
    }

    [Theory]
    [InlineData("", "`podman inspect --format json` printed nothing")]
    [InlineData("""{"Id": "a1"}""", "`podman inspect --format json` printed a JSON object where a list of containers (a JSON array) was expected.")]
    [InlineData("""[{"Id": "a1"}, "b2"]""", "entry 2 is a JSON string, not an object")]
    [InlineData("""[{"RestartCount": 1}]""", "entry 1 has no Id")]
    [InlineData("""[{"Id": "a1", "State": 3}]""", "entry 1 (id a1) has State as a JSON number, not an object")]
    public void Output_that_is_not_a_list_of_inspected_containers_is_refused(string json, string problem)
    {
        // Act + Assert
        Should.Throw<CaptureException>(() => PodmanInspectJson.Parse(json)).Message.ShouldContain(problem);
    }
}
