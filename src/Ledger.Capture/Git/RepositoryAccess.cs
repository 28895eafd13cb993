using System.Runtime.InteropServices;
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
public static partial class RepositoryAccess
{
    private static readonly Lazy<bool> OwnerCheckOff = new(() =>
    {
        GlobalSettings.SetOwnerValidation(false);
        return true;
    });

    /// <summary>Lets this process read repositories owned by other users (idempotent).</summary>
    public static void AllowReadingAnyOwner() => _ = OwnerCheckOff.Value;

    // libgit2's git_libgit2_opt_t.
    private const int SetCacheMaxSize = 7;
    private const int GetCachedMemory = 9;
    private const int StrictHashVerification = 22;

    /// <summary>The most memory each open repository's cache of commits and trees may hold (libgit2's default: 256 MiB).</summary>
    public const long CacheBytes = 4L * 1024 * 1024;

    private static readonly Lazy<bool> ReadingAsGit = new(() =>
    {
        unsafe
        {
            return Libgit2.Api is { } api
                && api.OptsInt(StrictHashVerification, 0) == 0
                && api.OptsLong(SetCacheMaxSize, CacheBytes) == 0;
        }
    });

    /// <summary>
    /// Reads objects as git does, without hashing each one again (libgit2 does by default: SHA-1
    /// with collision detection, a seventh of an import's CPU). A damaged object is still found:
    /// zlib checks every object's data as it inflates it, and a lost one is not there to read.
    /// Writing is unaffected (a new object's id is always its hash). And each open repository
    /// caches at most <see cref="CacheBytes"/> of commits and trees instead of 256 MiB: an import
    /// opens one per reader, and their caches made its memory grow with the history's length
    /// (Mic92/dotfiles, 16,338 commits: 460 MB to 324 MB with 16 MiB, no slower; 326 MB to 298 MB
    /// with 4 MiB, no slower either). Idempotent; whether it took.
    /// </summary>
    public static bool ReadAsGitDoes() => ReadingAsGit.Value;

    /// <summary>The cache limit libgit2 holds to now (tests), or null when libgit2 is not bound.</summary>
    internal static long? CacheLimit()
    {
        unsafe
        {
            if (Libgit2.Api is not { } api)
            {
                return null;
            }

            long current = 0, allowed = 0;
            return api.OptsTwoLongPointers(GetCachedMemory, &current, &allowed) == 0 ? allowed : null;
        }
    }

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

    // access(2) answers for this process's user, root included, without touching the repository.
    private static bool CanWrite(string folder) => Access(folder, WriteAccess) == 0;

    private const int WriteAccess = 2; // W_OK

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
