using CliWrap;
using CliWrap.Buffered;
using Ledger.Capture;
using Ledger.Capture.Containers;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Containers;

public sealed class PodmanCollectorSpecs : IDisposable
{
    private const string TestImage = "localhost/ledger-test:empty";

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
            a.Ports.ShouldBeEmpty();
            var b = containers.Single(c => c.Name == published);
            b.State.ShouldBe("created");
            b.Ports.ShouldBe(["0.0.0.0:18096->8096/tcp"]);
        }
        finally
        {
            await PodmanAsync("rm", "-f", plain, published);
        }
    }

    [Fact]
    public async Task A_fake_podman_that_prints_real_output_gives_its_containers_and_gets_the_right_arguments()
    {
        // Arrange
        var arguments = Path.Combine(_dir.Path, "arguments");
        var fake = WriteScript("podman", $"""
            printf '%s\n' "$@" > '{arguments}'
            cat '{PodmanFixtures.PathOf("ps-a-4.3.1.json")}'
            """);

        // Act
        var containers = await new PodmanCollector(fake).ListAsync();

        // Assert
        containers.Select(c => $"{c.Name} {c.State}").ShouldBe(["jellyfin created", "sonarr created", "radarr created"]);
        (await File.ReadAllLinesAsync(arguments)).ShouldBe(["ps", "-a", "--format", "json"]);
    }

    [Fact]
    public async Task A_snapshot_carries_host_actor_runtime_and_the_containers()
    {
        // Arrange
        var fake = WriteScript("podman", $"cat '{PodmanFixtures.PathOf("ps-a-4.3.1.json")}'");

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
    }

    private string WriteScript(string name, string body)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
