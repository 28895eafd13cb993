using LibGit2Sharp;

namespace Ledger.Cli.Demo;

/// <summary>Writes the demo NixOS configuration repository to a folder, one real git commit per <see cref="DemoCommit"/>.</summary>
internal static class DemoRepositoryBuilder
{
    /// <summary>Creates the repository unless it already holds the demo history. Returns true when it was created now.</summary>
    public static bool EnsureCreated(string folder)
    {
        if (Repository.IsValid(folder))
        {
            using var existing = new Repository(folder);
            if (existing.Head.Tip is not null)
            {
                return false;
            }
        }
        else if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new Core.Errors.LedgerException($"{folder} exists and is not a git repository; remove it or pass --dir with another folder.");
        }

        Directory.CreateDirectory(folder);
        Repository.Init(folder);
        using var repo = new Repository(folder);
        foreach (var commit in DemoRepository.Commits)
        {
            foreach (var (path, content) in commit.Files)
            {
                var full = Path.Combine(folder, path);
                if (content is null)
                {
                    File.Delete(full);
                }
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    File.WriteAllText(full, content);
                }
            }

            LibGit2Sharp.Commands.Stage(repo, "*");
            var who = new Signature("Mediabox Admin", "admin@mediabox.lan", commit.When);
            repo.Commit(commit.Message, who, who);
        }

        return true;
    }

    /// <summary>Writes one file and commits it, as an admin editing by hand would; returns the sha.</summary>
    public static string CommitChange(string folder, string path, string content, string message)
    {
        File.WriteAllText(Path.Combine(folder, path), content);
        using var repo = new Repository(folder);
        LibGit2Sharp.Commands.Stage(repo, path);
        var who = new Signature("Mediabox Admin", "admin@mediabox.lan", DateTimeOffset.Now);
        return repo.Commit(message, who, who).Sha;
    }
}
