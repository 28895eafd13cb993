using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;
using Ledger.Core.Events;

namespace Ledger.Capture.Containers;

/// <summary>
/// Lists every container (running and stopped) with <c>podman ps -a --format json</c>. It sees
/// the containers of the user it runs as: root's for NixOS <c>virtualisation.oci-containers</c>.
/// </summary>
public sealed class PodmanCollector
{
    public const string DefaultExecutable = "podman";

    /// <summary>The <see cref="ContainerSnapshotTaken.Runtime"/> this collector records.</summary>
    public const string Runtime = "podman";

    /// <summary>podman answers in well under a second; a minute means a hung storage lock.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const int MaxStderrChars = 2000;

    /// <param name="executable">A program name looked up on PATH, or a path to a podman (tests pass a fake).</param>
    /// <param name="timeout">How long podman may take before it is killed; <see cref="DefaultTimeout"/> when null.</param>
    public PodmanCollector(string executable = DefaultExecutable, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        }

        Executable = executable;
        Timeout = timeout ?? DefaultTimeout;
    }

    public string Executable { get; }

    public TimeSpan Timeout { get; }

    /// <summary>All containers podman knows, in podman's order.</summary>
    /// <exception cref="CaptureException">podman is missing, failed, timed out, or printed something unreadable.</exception>
    public async Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var program = Resolve(Executable);
        string[] arguments = ["ps", "-a", "--format", "json"];
        var shown = $"{Executable} {string.Join(' ', arguments)}";

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);

        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(program)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CaptureException(
                $"`{shown}` did not finish within {Timeout.TotalSeconds:0} s and was stopped. " +
                "Run it by hand; a podman that hangs is usually waiting on a storage lock held by another podman process.",
                inner: ex);
        }
        catch (Exception ex) when (ex is Win32Exception || ex.InnerException is Win32Exception)
        {
            throw new CaptureException($"Could not start `{shown}` ({program}): {ex.Message}", inner: ex);
        }

        if (result.ExitCode != 0)
        {
            var stderr = result.StandardError.Trim();
            if (stderr.Length > MaxStderrChars)
            {
                stderr = "..." + stderr[^MaxStderrChars..];
            }

            throw new CaptureException(
                $"`{shown}` failed with exit code {result.ExitCode}: " +
                (stderr.Length > 0 ? stderr : "(nothing on stderr)"));
        }

        return PodmanPsJson.Parse(result.StandardOutput);
    }

    /// <summary>The containers as a fact to append; host and actor come from the caller.</summary>
    public async Task<ContainerSnapshotTaken> SnapshotAsync(string host, string actor, CancellationToken cancellationToken = default)
    {
        var containers = await ListAsync(cancellationToken);
        return new ContainerSnapshotTaken(host, actor, Runtime, containers);
    }

    /// <summary>
    /// Looks the program up ourselves so that a missing podman gets a message that says so,
    /// rather than the process API's generic "cannot start".
    /// </summary>
    private static string Resolve(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(executable)
                ? executable
                : throw new CaptureException($"podman not found at {executable}. Check the path, or leave it out to use podman from PATH.");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CaptureException(
            $"{executable} not found on PATH. Install podman (NixOS: virtualisation.podman.enable = true; Debian: apt-get install podman), " +
            "or run Ledger where podman is on PATH.");
    }
}
