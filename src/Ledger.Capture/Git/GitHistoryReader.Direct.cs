using System.Runtime.InteropServices;
using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// A commit's patch straight from libgit2. LibGit2Sharp's Patch calls back into .NET for every
// line, makes a string of it and appends it twice (to the file's patch and to the commit's); an
// import spent more time there than in libgit2's diff. Here the same diff (the options LibGit2Sharp
// 0.32 passes for CompareOptions with SimilarityOptions.Renames or None) gives each file's patch as
// one buffer (git_patch_to_buf prints exactly what LibGit2Sharp's callback concatenates) decoded
// once, and its counts from git_patch_line_stats.
public sealed partial class GitHistoryReader
{
    private const uint IncludeTypeChange = 1u << 6;
    private const uint DisablePathspecMatch = 1u << 12;
    private const uint FindRenames = 1u << 0;
    private const uint FindRemoveUnmodified = 1u << 16;
    private const uint FlagBinary = 1u << 0;
    private const uint FlagExists = 1u << 3;
    private const uint FlagValidSize = 1u << 4;
    private const ushort GitLinkMode = 0xE000; // 0160000
    private const ushort TreeMode = 0x4000; // 0040000

    /// <summary>
    /// git's default prefixes, given explicitly: libgit2 would otherwise take the importing user's
    /// diff.noprefix or diff.mnemonicPrefix, and two users would record one commit two ways. Held
    /// for the life of the process (libgit2 copies them into each diff).
    /// </summary>
    private static readonly IntPtr OldPrefix = Marshal.StringToCoTaskMemUTF8("a/");

    private static readonly IntPtr NewPrefix = Marshal.StringToCoTaskMemUTF8("b/");

    private IntPtr _repoHandle;
    private IntPtr _odb;
    private bool _directClosed;

    /// <summary>Whether patches are read straight from libgit2 (tests turn it off to compare both ways of reading).</summary>
    internal bool DirectDiff { get; set; } = true;

    /// <summary>How many diffs were read straight from libgit2 (tests check that the way they compare was taken).</summary>
    internal int DirectReads { get; private set; }

    /// <summary>How many type changes had their content compared straight by libgit2.</summary>
    internal int DirectBlobReads { get; private set; }

    /// <summary>
    /// The files of the diff between two trees, read through libgit2 itself. Null whenever this way
    /// is not the plain case, and LibGit2Sharp then reads the commit as before: libgit2 not bound,
    /// a blob above <see cref="LargeFileBytes"/> (read by <see cref="WithLargeFiles"/>), a path twice
    /// (LibGit2Sharp's error, which the caller answers), or any libgit2 error (LibGit2Sharp raises
    /// the same one, and that is what is recorded). With <paramref name="only"/>, only those exact
    /// paths are diffed, as LibGit2Sharp does with <see cref="ExplicitPathsOptions"/>.
    /// </summary>
    private unsafe List<PatchFile>? DirectPatch(ObjectId? oldTree, ObjectId newTree, bool renames, List<string>? only = null)
    {
        if (Direct() is not { } api)
        {
            return null;
        }

        IntPtr oldHandle = IntPtr.Zero, newHandle = IntPtr.Zero, diff = IntPtr.Zero;
        IntPtr[]? pathspec = null;
        try
        {
            if ((oldTree is not null && !LookupTree(api, oldTree, &oldHandle)) || !LookupTree(api, newTree, &newHandle))
            {
                return null;
            }

            // The paths that changed, so that libgit2 opens only the folders on their way.
            var changed = only is not null ? only.Select(p => (byte[])[.. Encoding.UTF8.GetBytes(p), 0]).ToList() : ChangedPaths(api, _repoHandle, oldHandle, newHandle);
            if (only is null && changed is { Count: 0 })
            {
                DirectReads++;
                return [];
            }

            var options = new GitDiffOptions { Version = 1, Flags = IncludeTypeChange, ContextLines = 3, OldPrefix = OldPrefix, NewPrefix = NewPrefix };
            if (changed is not null)
            {
                pathspec = new IntPtr[changed.Count];
                for (int i = 0; i < pathspec.Length; i++)
                {
                    pathspec[i] = Marshal.AllocCoTaskMem(changed[i].Length);
                    Marshal.Copy(changed[i], 0, pathspec[i], changed[i].Length);
                }

                options.Flags |= DisablePathspecMatch;
                options.PathSpecCount = (nuint)pathspec.Length;
            }

            fixed (IntPtr* strings = pathspec)
            {
                options.PathSpecStrings = (IntPtr)strings;
                if (api.DiffTreeToTree(&diff, _repoHandle, oldHandle, newHandle, &options) != 0)
                {
                    return null;
                }
            }

            var count = api.DiffNumDeltas(diff);
            for (nuint i = 0; i < count; i++)
            {
                var delta = api.DiffGetDelta(diff, i);
                if (IsLargeOrUnknown(api, &delta->OldFile) || IsLargeOrUnknown(api, &delta->NewFile))
                {
                    return null;
                }
            }

            if (renames)
            {
                var find = new GitDiffFindOptions
                {
                    Version = 1,
                    Flags = FindRenames | FindRemoveUnmodified,
                    RenameThreshold = 50,
                    RenameFromRewriteThreshold = 50,
                    CopyThreshold = 50,
                    BreakRewriteThreshold = 60,
                    RenameLimit = 200,
                };
                if (api.DiffFindSimilar(diff, &find) != 0)
                {
                    return null;
                }

                count = api.DiffNumDeltas(diff);
            }

            var files = new List<PatchFile>((int)count);
            var paths = new HashSet<string>(StringComparer.Ordinal);
            for (nuint i = 0; i < count; i++)
            {
                if (ReadPatch(api, diff, i) is not { } file || !paths.Add(file.Path))
                {
                    return null;
                }

                files.Add(file);
            }

            DirectReads++;
            return files;
        }
        finally
        {
            if (diff != IntPtr.Zero)
            {
                api.DiffFree(diff);
            }

            if (newHandle != IntPtr.Zero)
            {
                api.TreeFree(newHandle);
            }

            if (oldHandle != IntPtr.Zero)
            {
                api.TreeFree(oldHandle);
            }

            foreach (var path in pathspec ?? [])
            {
                if (path != IntPtr.Zero)
                {
                    Marshal.FreeCoTaskMem(path);
                }
            }
        }
    }

    /// <summary>
    /// libgit2 itself, on this reader's own handle and object database (opened on first use), or
    /// null when this way is closed: libgit2 not bound, turned off (<see cref="DirectDiff"/>), or
    /// the handle could not be had. Callers then keep LibGit2Sharp's way.
    /// </summary>
    private unsafe Libgit2? Direct()
    {
        var api = Libgit2.Api;
        if (!DirectDiff || api is null || _directClosed)
        {
            return null;
        }

        if (_repoHandle == IntPtr.Zero)
        {
            _repoHandle = DiffHandle(api);
            IntPtr odb;
            if (_repoHandle == IntPtr.Zero || api.RepositoryOdb(&odb, _repoHandle) != 0)
            {
                _directClosed = true;
                return null;
            }

            _odb = odb;
        }

        return api;
    }

    /// <summary>A blob's bytes as a stream, inflated once: straight from libgit2 when it can, else through LibGit2Sharp.</summary>
    private Stream BlobContent(ObjectId id) =>
        (Direct() is { } api ? api.OpenObject(_odb, id) : null) ?? _repo.Lookup<Blob>(id).GetContentStream();

    private unsafe bool LookupTree(Libgit2 api, ObjectId id, IntPtr* tree)
    {
        fixed (byte* oid = id.RawId)
        {
            return api.TreeLookup(tree, _repoHandle, oid) == 0;
        }
    }

    /// <summary>Whether a side of a change is a blob above the large-file size, or one whose size cannot be read.</summary>
    private unsafe bool IsLargeOrUnknown(Libgit2 api, GitDiffFile* file)
    {
        if ((file->Flags & FlagExists) == 0 || file->Mode is GitLinkMode or TreeMode)
        {
            return false;
        }

        nuint size;
        int type;
        if (api.OdbReadHeader(&size, &type, _odb, file->Id) != 0)
        {
            return true;
        }

        // What libgit2 itself writes there when it reads the header (git_diff_file__resolve_zero_size):
        // with the size known, rename detection and the patch skip their own read of the same header,
        // which in a pack inflates the start of the object again (a sixth of the reading of srvos).
        file->Size = (long)size;
        file->Flags |= FlagValidSize;
        return (long)size > LargeFileBytes;
    }

    private static unsafe PatchFile? ReadPatch(Libgit2 api, IntPtr diff, nuint index)
    {
        IntPtr patch;
        if (api.PatchFromDiff(&patch, diff, index) != 0)
        {
            return null;
        }

        try
        {
            var delta = api.PatchGetDelta(patch);
            var binary = (delta->Flags & FlagBinary) != 0;
            var text = "";
            nuint context, additions = 0, deletions = 0;
            if (!binary)
            {
                var buf = default(GitBuf);
                try
                {
                    if (api.PatchToBuf(&buf, patch) != 0 || buf.Size > int.MaxValue || api.PatchLineStats(&context, &additions, &deletions, patch) != 0)
                    {
                        return null;
                    }

                    // Lax UTF-8, as LibGit2Sharp decodes each line: bytes that are not become U+FFFD.
                    text = Encoding.UTF8.GetString(buf.Ptr, (int)buf.Size);
                }
                finally
                {
                    api.BufDispose(&buf);
                }
            }

            return new PatchFile(
                PathOf(&delta->NewFile),
                PathOf(&delta->OldFile),
                (ChangeKind)delta->Status,
                binary,
                text,
                (int)additions,
                (int)deletions,
                IdOf(&delta->OldFile),
                IdOf(&delta->NewFile));
        }
        finally
        {
            api.PatchFree(patch);
        }
    }

    private static unsafe string PathOf(GitDiffFile* file) =>
        file->Path is null ? "" : Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(file->Path));

    private static unsafe ObjectId IdOf(GitDiffFile* file) => IdAt(file->Id);

    /// <summary>The object id libgit2 holds at <paramref name="oid"/> (20 bytes), as LibGit2Sharp's type.</summary>
    private static unsafe ObjectId IdAt(byte* oid) => new(new ReadOnlySpan<byte>(oid, 20).ToArray());

    private void CloseDirect()
    {
        _directClosed = true;
        if (_odb != IntPtr.Zero && Libgit2.Api is { } api)
        {
            unsafe
            {
                api.OdbFree(_odb);
            }

            _odb = IntPtr.Zero;
        }

        if (_ownsHandle && Libgit2.Api is { } owner)
        {
            unsafe
            {
                owner.RepositoryFree(_repoHandle);
            }

            _ownsHandle = false;
        }

        _repoHandle = IntPtr.Zero;
    }
}
