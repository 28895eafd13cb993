using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Core.Events;

namespace Ledger.IntegrationTests.Containers;

public class PodmanPsJsonSpecs
{
    /// <summary>What podman 5 prints for a media server, written by hand from podman's documented ListContainer.</summary>
    private const string Podman5 = """
        [
          {
            "AutoRemove": false,
            "Command": ["/init"],
            "CreatedAt": "3 hours ago",
            "CIDFile": "",
            "Exited": false,
            "ExitedAt": -62135596800,
            "ExitCode": 0,
            "ExposedPorts": { "8920": ["tcp"] },
            "Id": "9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
            "Image": "lscr.io/linuxserver/jellyfin:10.10.3",
            "ImageID": "0c2e8a1b3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
            "IsInfra": false,
            "Labels": { "PODMAN_SYSTEMD_UNIT": "podman-jellyfin.service" },
            "Mounts": ["/config", "/data/media"],
            "Names": ["jellyfin", "media-jellyfin"],
            "Namespaces": {},
            "Networks": ["podman"],
            "Pid": 4242,
            "Pod": "",
            "PodName": "",
            "Ports": [
              { "host_ip": "", "container_port": 8096, "host_port": 8096, "range": 1, "protocol": "tcp" },
              { "host_ip": "127.0.0.1", "container_port": 7359, "host_port": 7359, "range": 1, "protocol": "udp" },
              { "host_ip": "", "container_port": 1900, "host_port": 11900, "range": 3, "protocol": "udp" }
            ],
            "Restarts": 4,
            "Size": null,
            "StartedAt": 1795768200,
            "State": "running",
            "Status": "Up 3 hours (healthy)",
            "Created": "2026-11-27T05:00:00Z"
          },
          {
            "Command": ["/init"],
            "Exited": true,
            "ExitedAt": 1795768500,
            "ExitCode": 137,
            "Id": "aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66",
            "Image": "lscr.io/linuxserver/sonarr:4.0.11",
            "Names": ["sonarr"],
            "Ports": null,
            "Restarts": 0,
            "StartedAt": 1795755600,
            "State": "exited",
            "Status": "Exited (137) 5 minutes ago",
            "Created": 1795755000
          },
          {
            "Id": "bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66ee77",
            "Image": "lscr.io/linuxserver/radarr:5.14.0",
            "Names": ["radarr"],
            "Ports": [{ "host_ip": "0.0.0.0", "container_port": 7878, "host_port": 7878, "range": 1, "protocol": "tcp" }],
            "Restarts": 12,
            "StartedAt": 1795768200,
            "State": "running",
            "Status": "Up 10 seconds (unhealthy)",
            "Created": "2026-11-27T05:00:00.123456789+01:00"
          },
          {
            "Id": "cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66ee77ff88",
            "Image": "lscr.io/linuxserver/prowlarr:1.26.1",
            "Names": ["prowlarr"],
            "StartedAt": 0,
            "State": "running",
            "Status": "Up 2 seconds (starting)"
          }
        ]
        """;

    [Fact]
    public void The_real_podman_4_3_1_list_of_three_created_containers_is_read()
    {
        // Act
        var containers = PodmanPsJson.Parse(PodmanFixtures.Read("ps-a-4.3.1.json"));

        // Assert
        containers.Select(Line).ShouldBe(
        [
            "1b4b1bb0383d1bcd07a52d74d2dc84cb9afc8b261893b6de5a0e30f955b53c9d jellyfin localhost/bb:1 created health=- restarts=0 started=- ports=",
            "5dc86dd469582af048402320be884310d982e5672d5fbc405934a1f0a0e1fbc4 sonarr localhost/bb:1 created health=- restarts=0 started=- ports=",
            "3679177224b3b5f2de9a600a997670c6e0888d1d22946bc201d5ec7eacc52a62 radarr localhost/bb:1 created health=- restarts=0 started=- ports=",
        ]);
    }

    [Fact]
    public void The_real_podman_4_3_1_empty_list_is_no_containers()
    {
        // Act
        var containers = PodmanPsJson.Parse(PodmanFixtures.Read("ps-running-empty-4.3.1.json"));

        // Assert
        containers.ShouldBeEmpty();
    }

    [Fact]
    public void Real_podman_inspect_output_is_refused_with_a_pointer_to_podman_ps()
    {
        // Act
        var error = Should.Throw<CaptureException>(() => PodmanPsJson.Parse(PodmanFixtures.Read("inspect-sonarr-4.3.1.json")));

        // Assert
        error.Message.ShouldContain("entry 1 (id 5dc86dd46958)");
        error.Message.ShouldContain("podman inspect");
        error.Message.ShouldContain("podman ps -a --format json");
    }

    [Fact]
    public void Real_podman_version_output_is_refused_as_not_a_list()
    {
        // Act
        var error = Should.Throw<CaptureException>(() => PodmanPsJson.Parse(PodmanFixtures.Read("version-4.3.1.json")));

        // Assert
        error.Message.ShouldContain("printed a JSON object where a list of containers (a JSON array) was expected");
    }

    [Fact]
    public void Podman_5_output_gives_names_states_health_restarts_start_times_and_ports()
    {
        // Act
        var containers = PodmanPsJson.Parse(Podman5);

        // Assert
        containers.Select(Line).ShouldBe(
        [
            "9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8 jellyfin lscr.io/linuxserver/jellyfin:10.10.3 running " +
                "health=healthy restarts=4 started=2026-11-27T08:30:00+00:00 " +
                "ports=0.0.0.0:8096->8096/tcp,127.0.0.1:7359->7359/udp,0.0.0.0:11900-11902->1900-1902/udp",
            "aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66 sonarr lscr.io/linuxserver/sonarr:4.0.11 exited " +
                "health=- restarts=0 started=2026-11-27T05:00:00+00:00 ports=",
            "bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66ee77 radarr lscr.io/linuxserver/radarr:5.14.0 running " +
                "health=unhealthy restarts=12 started=2026-11-27T08:30:00+00:00 ports=0.0.0.0:7878->7878/tcp",
            "cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66ee77ff88 prowlarr lscr.io/linuxserver/prowlarr:1.26.1 running " +
                "health=starting restarts=0 started=- ports=",
        ]);
    }

    [Fact]
    public void Podman_3_port_fields_in_camel_case_and_a_protocol_list_are_read()
    {
        // Arrange
        var json = """
            [{ "Id": "dd44", "Names": ["sonarr"], "Image": "sonarr:3", "State": "running", "Status": "Up 1 minute",
               "Ports": [{ "hostPort": 8989, "containerPort": 8989, "protocol": "tcp", "hostIP": "" },
                         { "hostPort": 53, "containerPort": 53, "protocol": "tcp,udp", "hostIP": "10.0.0.2" }] }]
            """;

        // Act
        var container = PodmanPsJson.Parse(json).ShouldHaveSingleItem();

        // Assert
        container.Ports.ShouldBe(["0.0.0.0:8989->8989/tcp", "10.0.0.2:53->53/tcp", "10.0.0.2:53->53/udp"]);
        container.Health.ShouldBeNull();
    }

    [Fact]
    public void A_health_field_wins_over_the_status_text()
    {
        // Arrange
        var json = """
            [{ "Id": "ee55", "Names": ["a"], "Image": "i", "State": "running", "Status": "Up 1 minute", "Health": "Unhealthy" },
             { "Id": "ff66", "Names": ["b"], "Image": "i", "State": "running", "Status": "Up 1 minute (healthy)", "Health": { "Status": "starting" } }]
            """;

        // Act
        var containers = PodmanPsJson.Parse(json);

        // Assert
        containers.Select(c => c.Health).ShouldBe(["unhealthy", "starting"]);
    }

    [Fact]
    public void An_rfc3339_start_time_is_read_and_go_zero_time_is_never()
    {
        // Arrange
        var json = """
            [{ "Id": "a1", "Names": ["a"], "Image": "i", "State": "running", "StartedAt": "2026-11-27T09:30:00+01:00" },
             { "Id": "b2", "Names": ["b"], "Image": "i", "State": "created", "StartedAt": "0001-01-01T00:00:00Z" },
             { "Id": "c3", "Names": ["c"], "Image": "i", "State": "created", "StartedAt": -62135596800 }]
            """;

        // Act
        var containers = PodmanPsJson.Parse(json);

        // Assert
        containers.Select(c => c.StartedAt).ShouldBe([new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.FromHours(1)), null, null]);
    }

    [Fact]
    public void Corrupt_json_is_refused_naming_where_it_broke()
    {
        // Act
        var error = Should.Throw<CaptureException>(() => PodmanPsJson.Parse("[{\"Id\": \"abc\", \"Names\": [\"x\"] \"State\": \"running\"}]"));

        // Assert
        error.Message.ShouldStartWith("`podman ps -a --format json` printed invalid JSON (line 1, byte ");
    }

    [Fact]
    public void Truncated_real_output_is_refused_rather_than_read_as_a_shorter_list()
    {
        // Arrange: cut the real list of three in the middle of its second container.
        var whole = PodmanFixtures.Read("ps-a-4.3.1.json");
        var cut = whole[..whole.IndexOf("\"sonarr\"", StringComparison.Ordinal)];

        // Act
        var error = Should.Throw<CaptureException>(() => PodmanPsJson.Parse(cut));

        // Assert
        error.Message.ShouldContain("invalid JSON");
        error.Message.ShouldContain("cut off");
    }

    [Fact]
    public void An_object_at_the_top_is_refused()
    {
        // Act
        var error = Should.Throw<CaptureException>(() => PodmanPsJson.Parse("{}"));

        // Assert
        error.Message.ShouldBe(
            "`podman ps -a --format json` printed a JSON object where a list of containers (a JSON array) was expected. " +
            "Is the podman on PATH a real podman 4 or newer?");
    }

    [Fact]
    public void Empty_output_is_refused()
    {
        // Act + Assert
        Should.Throw<CaptureException>(() => PodmanPsJson.Parse("  \n")).Message.ShouldContain("printed nothing");
    }

    [Theory]
    [InlineData("""[{"Names": ["a"], "State": "running"}]""", "entry 1 has no Id")]
    [InlineData("""[{"Id": "a1", "Names": ["a"], "State": "running"}, {"Id": "b2", "State": "running"}]""", "entry 2 (id b2) has no Names")]
    [InlineData("""[{"Id": "a1", "Names": ["a"]}]""", "entry 1 (id a1) has no State")]
    [InlineData("""[{"Id": "a1", "Names": ["a"], "State": "running"}, 42]""", "entry 2 is a JSON number, not an object")]
    [InlineData("""[{"Id": "a1", "Names": ["a"], "State": "running", "Ports": "8096"}]""", "entry 1 (id a1) has Ports as a JSON string, not an array")]
    public void A_container_missing_what_every_container_has_refuses_the_whole_list(string json, string problem)
    {
        // Act
        var error = Should.Throw<CaptureException>(() => PodmanPsJson.Parse(json));

        // Assert
        error.Message.ShouldContain(problem);
        error.Message.ShouldContain("No containers were recorded.");
    }

    private static string Line(ContainerState c) =>
        $"{c.Id} {c.Name} {c.Image} {c.State} health={c.Health ?? "-"} restarts={c.RestartCount} " +
        $"started={c.StartedAt?.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} " +
        $"ports={string.Join(',', c.Ports)}";
}
