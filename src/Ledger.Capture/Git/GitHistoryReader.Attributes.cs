using System.Runtime.InteropServices;
using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// Which repository handle the direct diff uses. libgit2 looks up the "diff" attribute of every
// file it diffs, and with a working tree each lookup stats the .gitattributes of every folder
// above the file, resolves the folder's real path and re-checks the config files: a few hundred
// system calls per commit, a tenth of an import. When no attributes file exists anywhere the
// lookup could find one, every lookup answers "unspecified" whatever the handle, so the diff is
// read on a handle opened without the working tree, which gives the same patches without the calls.
public sealed partial class GitHistoryReader
{
    private const uint OpenNoSearch = 1u << 0;
    private const uint OpenBare = 1u << 2;

    /// <summary>A working tree with more entries than this is not searched for .gitattributes; it keeps the ordinary handle.</summary>
    private const int MaxWorkTreeEntries = 50_000;

    private bool _ownsHandle;

    /// <summary>
    /// Whether attributes may change a diff, decided once for a reader and every reader opened from
    /// it (<see cref="OpenAnother"/>): an import's readers would each walk the same working tree.
    /// Each asks with its own repository handle (LibGit2Sharp's are not thread-safe); the first decides.
    /// </summary>
    private sealed class AttributesDecision
    {
        private readonly Lock _gate = new();
        private bool? _mayApply;

        public bool MayApply(Func<bool> decide)
        {
            lock (_gate)
            {
                return _mayApply ??= decide();
            }
        }
    }

    private AttributesDecision _attributes = new();

    /// <summary>Whether direct diffs are read on a handle without the working tree (tests check which way was taken).</summary>
    internal bool DiffsWithoutWorkTree { get; private set; }

    /// <summary>
    /// Whether this reader (and those opened from it) will read many commits, as an import does:
    /// the working tree is then searched once for attributes files, so that every diff can go
    /// without libgit2's attribute lookups. A reader of one commit (the hook, the daemon) skips
    /// the search: on a tree of thousands of entries, with hundreds of folder symlinks to resolve,
    /// it costs more than the lookups for one commit's files (Mic92/dotfiles: 37 ms against the
    /// whole hook's 37 ms). The events are the same either way.
    /// </summary>
    public bool ReadsManyCommits { get; set; }

    /// <summary>The handle for direct diffs: one without the working tree when attributes cannot apply, else LibGit2Sharp's own.</summary>
    private unsafe IntPtr DiffHandle(Libgit2 api)
    {
        if (ReadsManyCommits && _repo.Info.WorkingDirectory is { } workTree && !_attributes.MayApply(() => AttributesMayApply(workTree)))
        {
            IntPtr handle;
            var gitDir = Encoding.UTF8.GetBytes(_repo.Info.Path + "\0");
            fixed (byte* path = gitDir)
            {
                if (api.RepositoryOpenExt(&handle, path, OpenNoSearch | OpenBare, null) == 0)
                {
                    WithoutConfig(api, handle);
                    _ownsHandle = true;
                    DiffsWithoutWorkTree = true;
                    return handle;
                }
            }
        }

        return Libgit2.RepositoryPointer(_repo);
    }

    /// <summary>
    /// Gives the handle an empty configuration. libgit2 takes a snapshot of the configuration for
    /// every diff (it stats and reads each config file again and copies every entry: a twentieth of
    /// srvos' import), and on this handle no setting can change a tree-to-tree diff but the
    /// importing user's taste: diff.noPrefix, diff.mnemonicPrefix, diff.ignoreSubmodules (a
    /// configured driver applies only through an attribute, and none applies here). Without them
    /// the patches are git's defaults (a/ and b/, submodule changes shown) whoever imports: root's
    /// hook and the daemon's user record the same commit the same way. Left as it was if it fails.
    /// </summary>
    private static unsafe void WithoutConfig(Libgit2 api, IntPtr handle)
    {
        IntPtr config;
        if (api.ConfigNew(&config) == 0)
        {
            // The handle keeps its own reference.
            _ = api.RepositorySetConfig(handle, config);
            api.ConfigFree(config);
        }
    }

    /// <summary>
    /// Whether an attributes file where libgit2 would look (the repository's info/attributes,
    /// core.attributesFile, the user's and the system's attributes files, a .gitattributes in the
    /// index or anywhere in the working tree) can change a diff: it sets "diff" (text, binary or
    /// a driver that is built in or configured), uses the "binary" macro, or defines a macro.
    /// Other attributes (merge drivers, linguist hints, eol) leave the diff as it is. Anything
    /// it cannot be sure of (a linked worktree, a folder symlink, an unreadable or very large
    /// tree, a quoted pattern) counts as yes.
    /// </summary>
    private bool AttributesMayApply(string workTree)
    {
        try
        {
            var gitDir = _repo.Info.Path;
            if (File.Exists(Path.Combine(gitDir, "commondir")) || _repo.Config.Get<string>("core.attributesFile") is not null)
            {
                return true;
            }

            var files = new List<string> { Path.Combine(gitDir, "info", "attributes") };
            files.AddRange(GlobalSettings.GetConfigSearchPaths(ConfigurationLevel.Xdg).Select(d => Path.Combine(d, "attributes")));
            files.AddRange(GlobalSettings.GetConfigSearchPaths(ConfigurationLevel.System).Select(d => Path.Combine(d, "gitattributes")));
            if (WorkTreeAttributes(workTree) is not { } inWorkTree)
            {
                return true;
            }

            files.AddRange(inWorkTree);
            var texts = files.Where(File.Exists).Select(File.ReadAllText).ToList();
            foreach (var entry in _repo.Index.Where(e => e.Path == ".gitattributes" || e.Path.EndsWith("/.gitattributes", StringComparison.Ordinal)))
            {
                texts.Add(_repo.Lookup<Blob>(entry.Id)?.GetContentText() ?? "[attr]unreadable");
            }

            return texts.Any(SetsDiff);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LibGit2SharpException or ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Whether an attributes file sets anything that decides how a file is diffed.</summary>
    private bool SetsDiff(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] is '"' or '[')
            {
                // A quoted pattern, or a macro ([attr]name ...) that may stand for "diff".
                return true;
            }

            foreach (var attribute in line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                if (attribute is "diff" or "-diff" or "binary")
                {
                    return true;
                }

                if (attribute.StartsWith("diff=", StringComparison.Ordinal) && DriverExists(attribute["diff=".Length..]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether libgit2 knows a diff driver of this name: one configured (diff.NAME.*) or built in.
    /// Any other name gives the automatic driver, as if no attribute were set.
    /// </summary>
    private bool DriverExists(string name) =>
        BuiltInDrivers.Contains(name)
        || _repo.Config.Any(c => c.Key.StartsWith("diff.", StringComparison.OrdinalIgnoreCase) && c.Key.Length > name.Length + 6
            && string.Equals(c.Key.Substring(5, name.Length), name, StringComparison.Ordinal) && c.Key[5 + name.Length] == '.');

    /// <summary>The drivers libgit2 and git have built in (userdiff); a superset does no harm.</summary>
    private static readonly HashSet<string> BuiltInDrivers = new(StringComparer.OrdinalIgnoreCase)
    {
        "ada", "bash", "bibtex", "cpp", "csharp", "css", "dts", "elixir", "fortran", "fountain", "golang", "html", "java",
        "kotlin", "markdown", "matlab", "objc", "pascal", "perl", "php", "python", "ruby", "rust", "scheme", "tex", "default",
    };

    /// <summary>The .gitattributes files of the working tree (outside .git folders), or null when it cannot be searched completely.</summary>
    private static List<string>? WorkTreeAttributes(string workTree)
    {
        if (RealPathOf(workTree) is not { } root)
        {
            return null;
        }

        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        var folders = new Stack<string>([workTree]);
        var found = new List<string>();
        var entries = 0;
        while (folders.TryPop(out var folder))
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
            {
                if (++entries > MaxWorkTreeEntries)
                {
                    return null;
                }

                if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    if (Directory.Exists(entry.FullName))
                    {
                        // A folder symlink: libgit2 follows it to wherever it points. Where that is
                        // a folder of this working tree (sops-nix's secrets/NAME/users/joerg ->
                        // ../../../users/joerg, hundreds in some histories), the walk finds its
                        // attributes files where the folder really is; anywhere else it may not.
                        if (RealPathOf(entry.FullName) is { } target && Walked(target, root))
                        {
                            continue;
                        }

                        return null;
                    }

                    if (entry.Name == ".gitattributes")
                    {
                        found.Add(entry.FullName);
                    }
                }
                else if (entry is DirectoryInfo)
                {
                    if (entry.Name != ".git")
                    {
                        folders.Push(entry.FullName);
                    }
                }
                else if (entry.Name == ".gitattributes")
                {
                    found.Add(entry.FullName);
                }
            }
        }

        return found;
    }

    /// <summary>Whether a real path is one the walk goes through: the working tree's or below it, outside any .git folder.</summary>
    private static bool Walked(string target, string root) =>
        target == root
        || (target.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal)
            && !target[root.Length..].Split('/').Contains(".git", StringComparer.Ordinal));

    /// <summary>The path with every symlink and . or .. resolved (realpath(3)), or null when it cannot be.</summary>
    private static string? RealPathOf(string path)
    {
        var real = RealPath(path, IntPtr.Zero);
        if (real == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(real);
        }
        finally
        {
            Free(real);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
