namespace Ledger.App.Demo;

/// <summary>
/// A small NixOS flake repository for a home media/monitoring server ("mediabox"),
/// built up over eight commits. Used by the demo mode to seed a realistic history.
/// The files each commit writes live in demo/commits/&lt;folder&gt;/ (see <see cref="DemoFiles"/>).
/// </summary>
internal static class DemoRepository
{
    public static IReadOnlyList<DemoCommit> Commits { get; } =
    [
        Commit("01-initial", "Initial NixOS configuration for mediabox", new(2026, 10, 3, 19, 12, 0, TimeSpan.Zero)),
        Commit("02-media-containers", "Add Jellyfin and the *arr stack in podman", new(2026, 10, 5, 20, 41, 0, TimeSpan.Zero)),
        Commit("03-nvidia-gpu", "Enable NVIDIA GPU for Jellyfin transcoding", new(2026, 10, 11, 14, 3, 0, TimeSpan.Zero)),
        Commit("04-prometheus", "Add Prometheus with node and GPU exporters", new(2026, 10, 18, 10, 27, 0, TimeSpan.Zero)),
        Commit("05-grafana-alertmanager", "Add Grafana and Alertmanager", new(2026, 10, 24, 16, 55, 0, TimeSpan.Zero)),
        Commit("06-transcoding-limits", "Tune Jellyfin hardware transcoding limits", new(2026, 11, 1, 21, 9, 0, TimeSpan.Zero)),
        Commit("07-cold-storage", "Move media library to the cold storage tier", new(2026, 11, 8, 11, 36, 0, TimeSpan.Zero),
            deletes: "modules/monitoring/rules/gpu.yml"),
        Commit("08-remove-prowlarr", "Remove prowlarr; indexers now configured in sonarr", new(2026, 11, 15, 18, 22, 0, TimeSpan.Zero),
            deletes: "modules/media/prowlarr-indexers.nix"),
    ];

    /// <summary>One commit: the files in its folder, and the files it deletes.</summary>
    private static DemoCommit Commit(string folder, string message, DateTimeOffset when, params string[] deletes)
    {
        var files = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (path, content) in DemoFiles.Of(folder))
        {
            files[path] = content;
        }

        foreach (var path in deletes)
        {
            files[path] = null;
        }

        return new DemoCommit(message, when, files);
    }
}
