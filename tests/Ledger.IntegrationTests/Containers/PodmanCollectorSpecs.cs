using CliWrap;
using CliWrap.Buffered;
using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.Core.Events;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Containers;

public sealed class PodmanCollectorSpecs : IDisposable
{
    private const string TestImage = "localhost/ledger-test:empty";

    // The ids of the three containers in tests/fixtures/podman/ps-a-4.3.1.json.
    private const string Jellyfin = "1b4b1bb0383d1bcd07a52d74d2dc84cb9afc8b261893b6de5a0e30f955b53c9d";
    private const string Sonarr = "5dc86dd469582af048402320be884310d982e5672d5fbc405934a1f0a0e1fbc4";
    private const string Radarr = "3679177224b3b5f2de9a600a997670c6e0888d1d22946bc201d5ec7eacc52a62";

    private readonly TempDirectory _dir = new("ledger-podman");

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task I_can_list_containers_that_real_podman_created()
    {
        // Arrange: containers can be created but not started on CI machines, so "created" is what we see.
        await EnsureTestImageAsync();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var plain = $"ledger-test-{suffix}-a";
        var published = $"ledger-test-{suffix}-b";
        try
        {
            await PodmanAsync("create", "--name", plain, TestImage, "/bin/true");
            await PodmanAsync("create", "--name", published, "-p", "18096:8096", TestImage, "/bin/true");

            // Act
            var containers = await new PodmanCollector().ListAsync();

            // Assert
            var a = containers.Single(c => c.Name == plain);
            a.State.ShouldBe("created");
            a.Image.ShouldBe(TestImage);
            a.Id.Length.ShouldBe(64);
            a.StartedAt.ShouldBeNull();
            a.Health.ShouldBeNull();
            a.RestartCount.ShouldBe(0);
            a.Ports.ShouldBeEmpty();
            var b = containers.Single(c => c.Name == published);
            b.State.ShouldBe("created");
            b.Health.ShouldBeNull();
            b.RestartCount.ShouldBe(0);
            b.Ports.ShouldBe(["0.0.0.0:18096->8096/tcp"]);
        }
        finally
        {
            await PodmanAsync("rm", "-f", plain, published);
        }
    }

    [Fact]
    public async Task A_fake_podman_that_prints_real_output_gives_its_containers_with_what_inspect_adds()
    {
        // Arrange: inspect says jellyfin restarted 3 times and is unhealthy, sonarr has no health check
        // (podman 4's empty status), and says nothing of radarr, which keeps what ps listed.
        var inspect = WriteFile("inspect.json", $$"""
            [
              { "Id": "{{Jellyfin}}", "Name": "jellyfin", "RestartCount": 3, "State": { "Status": "running", "Health": { "Status": "unhealthy", "FailingStreak": 5 } } },
              { "Id": "{{Sonarr}}", "Name": "sonarr", "RestartCount": 0, "State": { "Status": "created", "Health": { "Status": "", "FailingStreak": 0 } } }
            ]
            """);
        var fake = WriteFakePodman($"cat '{inspect}'");

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.Select(Line).ShouldBe(["jellyfin created restarts=3 health=unhealthy", "sonarr created restarts=0 health=-", "radarr created restarts=0 health=-"]);
        (await Calls()).ShouldBe(["ps -a --format json", $"inspect --format json {Jellyfin} {Sonarr} {Radarr}"]);
    }

    [Fact]
    public async Task The_real_podman_4_3_1_inspect_capture_gives_sonarr_no_health_and_no_restarts()
    {
        // Arrange
        var fake = WriteFakePodman($"cat '{PodmanFixtures.PathOf("inspect-sonarr-4.3.1.json")}'");

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.Select(Line).ShouldBe(["jellyfin created restarts=0 health=-", "sonarr created restarts=0 health=-", "radarr created restarts=0 health=-"]);
    }

    [Fact]
    public async Task With_no_containers_podman_inspect_is_not_run()
    {
        // Arrange
        var fake = WriteFakePodman("echo 'inspect must not run' >&2; exit 125", ps: "ps-running-empty-4.3.1.json");

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.ShouldBeEmpty();
        (await Calls()).ShouldBe(["ps -a --format json"]);
    }

    [Fact]
    public async Task A_container_removed_between_ps_and_inspect_is_left_out_of_a_second_inspect_and_keeps_what_ps_said()
    {
        // Arrange: radarr's unit re-created it after ps; podman 4.3.1's inspect then prints the others and fails.
        var two = WriteFile("two.json", $$"""
            [
              { "Id": "{{Jellyfin}}", "RestartCount": 2, "State": { "Health": { "Status": "healthy" } } },
              { "Id": "{{Sonarr}}", "RestartCount": 1, "State": { "Health": { "Status": "" } } }
            ]
            """);
        var fake = WriteFakePodman($"""
            case "$*" in
              *{Radarr}*) cat '{two}'; echo 'Error: inspecting object: no such object: "{Radarr}"' >&2; exit 125 ;;
              *) cat '{two}' ;;
            esac
            """);

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.Select(Line).ShouldBe(["jellyfin created restarts=2 health=healthy", "sonarr created restarts=1 health=-", "radarr created restarts=0 health=-"]);
        (await Calls()).ShouldBe(
        [
            "ps -a --format json",
            $"inspect --format json {Jellyfin} {Sonarr} {Radarr}",
            $"inspect --format json {Jellyfin} {Sonarr}",
        ]);
    }

    [Fact]
    public async Task Containers_vanishing_on_both_inspects_keep_what_ps_said_rather_than_fail_the_snapshot()
    {
        // Arrange: radarr goes before the first inspect, sonarr before the second.
        var fake = WriteFakePodman($"""
            case "$*" in
              *{Radarr}*) echo 'Error: no such container {Radarr}' >&2; exit 125 ;;
              *) echo 'Error: no such container {Sonarr}' >&2; exit 125 ;;
            esac
            """);

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.Select(Line).ShouldBe(["jellyfin created restarts=0 health=-", "sonarr created restarts=0 health=-", "radarr created restarts=0 health=-"]);
        (await Calls()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_no_such_container_message_that_names_none_of_the_ids_keeps_what_ps_said_without_asking_again()
    {
        // Arrange
        var fake = WriteFakePodman("echo 'Error: no such container' >&2; exit 125");

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.Select(c => c.Name).ShouldBe(["jellyfin", "sonarr", "radarr"]);
        (await Calls()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_inspect_that_fails_for_another_reason_gives_a_capture_error()
    {
        // Arrange
        var fake = WriteFakePodman("echo 'Error: database is locked' >&2; exit 125");

        // Act
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector(fake).ListAsync());

        // Assert
        error.Message.ShouldBe($"`{fake} inspect --format json <3 container ids>` failed with exit code 125: Error: database is locked");
    }

    [Fact]
    public async Task An_inspect_that_prints_corrupt_json_gives_a_capture_error_not_the_ps_values()
    {
        // Arrange
        var fake = WriteFakePodman($"head -c 300 '{PodmanFixtures.PathOf("inspect-sonarr-4.3.1.json")}'");

        // Act
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector(fake).ListAsync());

        // Assert
        error.Message.ShouldStartWith("`podman inspect --format json` printed invalid JSON");
    }

    [Fact]
    public async Task A_snapshot_carries_host_actor_runtime_and_the_containers()
    {
        // Arrange
        var fake = WriteFakePodman("echo '[]'");

        // Act
        var snapshot = await new PodmanCollector(fake).SnapshotAsync("mediabox", "root");

        // Assert
        snapshot.Host.ShouldBe("mediabox");
        snapshot.Actor.ShouldBe("root");
        snapshot.Runtime.ShouldBe("podman");
        snapshot.Containers.Select(c => c.Name).ShouldBe(["jellyfin", "sonarr", "radarr"]);
    }

    [Fact]
    public async Task A_podman_that_fails_gives_a_capture_error_with_its_exit_code_and_stderr()
    {
        // Arrange
        var fake = WriteScript("podman", """
            echo 'Error: creating events dirs: mkdir /run/user/1000: permission denied' >&2
            exit 125
            """);

        // Act
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector(fake).ListAsync());

        // Assert
        error.Message.ShouldBe(
            $"`{fake} ps -a --format json` failed with exit code 125: Error: creating events dirs: mkdir /run/user/1000: permission denied");
    }

    [Fact]
    public async Task A_podman_that_prints_half_a_list_gives_a_capture_error_not_a_shorter_list()
    {
        // Arrange
        var fake = WriteScript("podman", $"head -c 700 '{PodmanFixtures.PathOf("ps-a-4.3.1.json")}'");

        // Act + Assert
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector(fake).ListAsync());
        error.Message.ShouldContain("invalid JSON");
    }

    [Fact]
    public async Task A_podman_that_hangs_is_stopped_at_the_timeout()
    {
        // Arrange
        var fake = WriteScript("podman", "exec sleep 30");
        var collector = new PodmanCollector(fake, TimeSpan.FromMilliseconds(500));

        // Act
        var started = DateTime.UtcNow;
        var error = await Should.ThrowAsync<CaptureException>(() => collector.ListAsync());

        // Assert
        error.Message.ShouldContain("did not finish within");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Cancelling_the_caller_cancels_rather_than_reporting_a_timeout()
    {
        // Arrange
        var fake = WriteScript("podman", "exec sleep 30");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Act + Assert
        await Should.ThrowAsync<OperationCanceledException>(() => new PodmanCollector(fake).ListAsync(cancel.Token));
    }

    [Fact]
    public async Task A_podman_missing_from_path_says_so()
    {
        // Act
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector("ledger-no-such-podman").ListAsync());

        // Assert
        error.Message.ShouldStartWith("ledger-no-such-podman not found on PATH.");
    }

    [Fact]
    public async Task A_podman_path_that_does_not_exist_says_so()
    {
        // Arrange
        var missing = Path.Combine(_dir.Path, "bin", "podman");

        // Act
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector(missing).ListAsync());

        // Assert
        error.Message.ShouldStartWith($"podman not found at {missing}.");
    }

    [Fact]
    public async Task A_podman_file_that_cannot_be_run_says_so()
    {
        // Arrange
        var notExecutable = Path.Combine(_dir.Path, "podman");
        await File.WriteAllTextAsync(notExecutable, "not a program\n");

        // Act
        var error = await Should.ThrowAsync<CaptureException>(() => new PodmanCollector(notExecutable).ListAsync());

        // Assert
        error.Message.ShouldStartWith($"Could not start `{notExecutable} ps -a --format json`");
        error.Message.ShouldContain("permission denied (the file is not executable by this user)");
        error.Message.ShouldNotContain("An error occurred trying to start process", Case.Sensitive, "the system's reason in words, not .NET's text");
    }

    /// <summary>
    /// A podman that prints a real <c>ps -a --format json</c> capture, runs <paramref name="inspect"/>
    /// for <c>podman inspect</c>, and writes the arguments of every call, one call a line, for <see cref="Calls"/>.
    /// </summary>
    private string WriteFakePodman(string inspect, string ps = "ps-a-4.3.1.json") =>
        WriteScript("podman", $"""
            echo "$*" >> '{Path.Combine(_dir.Path, "calls")}'
            case "$1" in
              ps) cat '{PodmanFixtures.PathOf(ps)}' ;;
              inspect)
            {inspect}
                ;;
              *) echo "the fake podman does not know: $*" >&2; exit 2 ;;
            esac
            """);

    private async Task<IReadOnlyList<string>> Calls() => await File.ReadAllLinesAsync(Path.Combine(_dir.Path, "calls"));

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Line(ContainerState c) => $"{c.Name} {c.State} restarts={c.RestartCount} health={c.Health ?? "-"}";

    private string WriteScript(string name, string body)
    {
        var path = Path.Combine(_dir.Path, name);
        Ledger.Capture.Files.ScriptFile.Write(path, "#!/bin/sh\n" + body + "\n");
        return path;
    }

    /// <summary>An image with nothing in it: enough for podman create, and needs no registry.</summary>
    private static async Task EnsureTestImageAsync()
    {
        var exists = await CliWrap.Cli.Wrap("podman").WithArguments(["image", "exists", TestImage])
            .WithValidation(CommandResultValidation.None).ExecuteAsync();
        if (exists.ExitCode == 0)
        {
            return;
        }

        // An empty tar archive is two 512-byte zero blocks, padded to tar's 10 KiB record.
        await CliWrap.Cli.Wrap("podman").WithArguments(["import", "-", TestImage])
            .WithStandardInputPipe(PipeSource.FromBytes(new byte[10240]))
            .ExecuteBufferedAsync();
    }

    private static async Task PodmanAsync(params string[] arguments) =>
        await CliWrap.Cli.Wrap("podman").WithArguments(arguments).ExecuteBufferedAsync();
}
