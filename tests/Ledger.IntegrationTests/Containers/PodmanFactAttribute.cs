namespace Ledger.IntegrationTests.Containers;

/// <summary>A test that needs a real podman: skipped, and saying why, where podman is not on PATH.</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!IsInstalled)
        {
            Skip = "podman is not installed (CI installs Debian's podman)";
        }
    }

    public static bool IsInstalled { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, "podman")));
}
