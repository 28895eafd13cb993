using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// Who may open a configuration repository. Reading needs only read rights: on NixOS,
/// <c>/etc/nixos</c> belongs to root and is read by the daemon's <c>ledger</c> user or an admin
/// without sudo, which libgit2's ownership check (its answer to CVE-2022-24765, libgit2 #6266)
/// would refuse. That check protects git from running hooks and filters of a repository someone
/// else planted; Ledger runs neither, so it is switched off for the process. Writing (deploy,
/// restore) is checked explicitly instead, with a message that says which rights are missing.
/// </summary>
public static class RepositoryAccess
{
    private static readonly Lazy<bool> OwnerCheckOff = new(() =>
    {
        GlobalSettings.SetOwnerValidation(false);
        return true;
    });

    /// <summary>Lets this process read repositories owned by other users (idempotent).</summary>
    public static void AllowReadingAnyOwner() => _ = OwnerCheckOff.Value;

    /// <summary>Throws, with what to do, unless this user may write the repository and its working tree.</summary>
    /// <exception cref="CaptureException">A folder Ledger must write to is not writable (exit 2).</exception>
    public static void RequireWritable(string gitDirectory, string? workingDirectory, string purpose)
    {
        foreach (var folder in new[] { gitDirectory, workingDirectory }.OfType<string>())
        {
            if (!CanWrite(folder))
            {
                var user = Environment.UserName;
                throw new CaptureException(
                    $"{purpose} writes to {folder}, which user '{user}' cannot write. Run it as the repository's owner " +
                    $"(e.g. sudo), or give '{user}' write access to the repository and its working tree. Reading (import, timeline) needs only read access.");
            }
        }
    }

    private static bool CanWrite(string folder)
    {
        var probe = Path.Combine(folder, $".ledger-write-probe-{Environment.ProcessId}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
