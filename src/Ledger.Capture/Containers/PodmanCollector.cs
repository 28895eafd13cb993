namespace Ledger.Capture.Containers;

/// <summary>
/// Lists every container (running and stopped) with <c>podman ps -a --format json</c>, and takes
/// restart counts and health from <c>podman inspect</c>. It sees the containers of the user it
/// runs as: root's for NixOS <c>virtualisation.oci-containers</c>.
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
    /// <param name="timeout">How long each podman command may take before it is killed; <see cref="DefaultTimeout"/> when null.</param>
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

    /// <summary>
    /// All containers podman knows, in podman's order. <c>podman ps -a --format json</c> lists them;
    /// one <c>podman inspect --format json ID...</c> for all of them then gives each its
    /// <c>RestartCount</c> and <c>State.Health.Status</c>, which win over what ps said (podman 4's
    /// ps has no restart count, and shows health only in its Status text). Each command may take
    /// up to <see cref="Timeout"/>.
    /// </summary>
    /// <remarks>
    /// A container can be removed between ps and inspect (a systemd unit re-creating it), and
    /// inspect then exits 125 naming it (<c>no such object: "ID"</c>; <c>podman container inspect</c>
    /// says <c>no such container ID</c>). Ledger then asks inspect once more, for the ids it did not
    /// name. Should that fail the same way too, or should podman's message name none of the ids,
    /// every container keeps what ps said (on podman 4: no restart count, and health only from the
    /// Status text) rather than the snapshot failing. Either way the snapshot is the ps list: a
    /// container that vanished after ps is still in it, as ps saw it. Any other inspect failure,
    /// or output that is not inspect's JSON, is a <see cref="CaptureException"/>.
    /// </remarks>
    /// <exception cref="CaptureException">podman is missing, failed, timed out, or printed something unreadable.</exception>
    public async Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var program = Resolve(Executable);
        string[] arguments = ["ps", "-a", "--format", "json"];
        var shown = $"{Executable} {string.Join(' ', arguments)}";
        var result = await RunAsync(program, arguments, shown, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw Failed(shown, result);
        }

        var listed = PodmanPsJson.Parse(result.StandardOutput);
        if (listed.Count == 0)
        {
            return listed;
        }

        var inspected = await InspectAsync(program, [.. listed.Select(c => c.Id).Distinct(StringComparer.Ordinal)], cancellationToken);
        if (inspected.Count == 0)
        {
            return listed;
        }

        var byId = new Dictionary<string, PodmanInspection>(StringComparer.Ordinal);
        foreach (var inspection in inspected)
        {
            byId.TryAdd(inspection.Id, inspection);
        }

        return [.. listed.Select(c => byId.TryGetValue(c.Id, out var inspection) ? inspection.ApplyTo(c) : c)];
    }

    /// <summary>The containers as a fact to append; host and actor come from the caller.</summary>
    public async Task<ContainerSnapshotTaken> SnapshotAsync(string host, string actor, CancellationToken cancellationToken = default)
    {
        var containers = await ListAsync(cancellationToken);
        return new ContainerSnapshotTaken(host, actor, Runtime, containers);
    }

    /// <summary>
    /// What inspect says about <paramref name="ids"/>; empty when a container vanished twice in a
    /// row, or podman's message named none of them (see <see cref="ListAsync"/>).
    /// </summary>
    private async Task<IReadOnlyList<PodmanInspection>> InspectAsync(
        string program, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var asked = ids;
        for (var attempt = 1; ; attempt++)
        {
            string[] arguments = ["inspect", "--format", "json", .. asked];
            var shown = $"{Executable} inspect --format json " + (asked.Count == 1 ? asked[0] : $"<{asked.Count} container ids>");
            var result = await RunAsync(program, arguments, shown, cancellationToken);
            if (result.ExitCode == 0)
            {
                return PodmanInspectJson.Parse(result.StandardOutput);
            }

            if (!SaysNoSuchContainer(result.StandardError))
            {
                throw Failed(shown, result);
            }

            var remaining = asked.Where(id => !result.StandardError.Contains(id, StringComparison.Ordinal)).ToList();
            if (attempt > 1 || remaining.Count == asked.Count || remaining.Count == 0)
            {
                return [];
            }

            asked = remaining;
        }
    }

    /// <summary>podman 4 and 5: <c>no such object: "ID"</c> from inspect, <c>no such container ID</c> from container inspect.</summary>
    private static bool SaysNoSuchContainer(string stderr) =>
        stderr.Contains("no such container", StringComparison.OrdinalIgnoreCase)
        || stderr.Contains("no such object", StringComparison.OrdinalIgnoreCase);

    private async Task<ProgramResult> RunAsync(
        string program, IReadOnlyList<string> arguments, string shown, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await ProgramRunner.Default.RunAsync(new ProgramCall(program, arguments), timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CaptureException(
                $"`{shown}` did not finish within {Timeout.TotalSeconds:0} s and was stopped. " +
                "Run it by hand; a podman that hangs is usually waiting on a storage lock held by another podman process.",
                inner: ex);
        }
        catch (ProgramNotStartedException ex)
        {
            throw new CaptureException($"Could not start `{shown}` ({program}): {ex.Reason}", inner: ex);
        }
    }

    private static CaptureException Failed(string shown, ProgramResult result)
    {
        var stderr = result.StandardError.Trim();
        if (stderr.Length > MaxStderrChars)
        {
            stderr = "..." + stderr[^MaxStderrChars..];
        }

        return new CaptureException(
            $"`{shown}` failed with exit code {result.ExitCode}: " +
            (stderr.Length > 0 ? stderr : "(nothing on stderr)"));
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
