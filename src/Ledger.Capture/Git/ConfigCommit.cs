using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>The configuration commit in effect: HEAD of the configuration repository.</summary>
public static class ConfigCommit
{
    /// <summary>HEAD's sha, or null when <paramref name="repo"/> is not a repository or has no commit yet.</summary>
    public static string? TryHead(string repo)
    {
        RepositoryAccess.AllowReadingAnyOwner();
        try
        {
            if (!Directory.Exists(repo) || !Repository.IsValid(repo))
            {
                return null;
            }

            using var r = new Repository(repo);
            return r.Head.Tip?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }
}
