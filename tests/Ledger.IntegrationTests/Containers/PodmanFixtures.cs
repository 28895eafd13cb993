namespace Ledger.IntegrationTests.Containers;

/// <summary>The real podman captures in tests/fixtures/podman, found from the test binary upwards.</summary>
internal static class PodmanFixtures
{
    public static string Folder { get; } = Find();

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "podman");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/fixtures/podman not found above {AppContext.BaseDirectory}.");
    }
}
