using Ledger.Capture.Git;

namespace Ledger.App.Demo;

/// <summary>Writes the demo NixOS configuration repository to a folder, one real git commit per <see cref="DemoCommit"/>.</summary>
internal static class DemoRepositoryBuilder
{
    private const string Admin = "Mediabox Admin";
    private const string AdminEmail = "admin@mediabox.lan";

    /// <summary>Creates the repository unless it already holds the demo history. Returns true when it was created now.</summary>
    public static bool EnsureCreated(string folder)
    {
        if (RepositoryWriter.HasHistory(folder))
        {
            return false;
        }

        RepositoryWriter.Init(folder);
        foreach (var commit in DemoRepository.Commits)
        {
            RepositoryWriter.Commit(folder, commit.Files, commit.Message, Admin, AdminEmail, commit.When);
        }

        return true;
    }

    /// <summary>Writes one file and commits it, as an admin editing by hand would; returns the sha.</summary>
    public static string CommitChange(string folder, string path, string content, string message) =>
        RepositoryWriter.Commit(folder, new Dictionary<string, string?> { [path] = content }, message, Admin, AdminEmail, DateTimeOffset.Now);
}
