using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// The few libgit2 functions Ledger calls itself, in the very library LibGit2Sharp has loaded (its
/// file name carries a hash, e.g. libgit2-5853918.so), on the repository handle LibGit2Sharp
/// opened. <see cref="RawCommit"/> uses it (a message's bytes), and <see cref="GitHistoryReader"/>
/// for its diff, which takes each file's patch as one buffer instead of LibGit2Sharp's string per
/// line, and for the walk of the history. Bound with function pointers, as <c>Gpu/NvmlApi.cs</c> is.
/// Anything unexpected (a function missing, the handle not found) gives null, and callers keep
/// LibGit2Sharp's way.
/// </summary>
internal sealed unsafe class Libgit2
{
    private static readonly Lazy<Libgit2?> Loaded = new(Load);

    /// <summary>The bound functions, or null when they cannot be bound (callers then use LibGit2Sharp).</summary>
    public static Libgit2? Api => Loaded.Value;

    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, int> RepositoryOdb;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int> OdbRead;
    public delegate* unmanaged[Cdecl]<nuint*, int*, IntPtr, byte*, int> OdbReadHeader;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr> OdbObjectData;
    public delegate* unmanaged[Cdecl]<IntPtr, nuint> OdbObjectSize;
    public delegate* unmanaged[Cdecl]<IntPtr, void> OdbObjectFree;
    public delegate* unmanaged[Cdecl]<IntPtr, void> OdbFree;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int> TreeLookup;
    public delegate* unmanaged[Cdecl]<IntPtr, void> TreeFree;
    public delegate* unmanaged[Cdecl]<IntPtr, nuint> TreeEntryCount;
    public delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr> TreeEntryByIndex;
    public delegate* unmanaged[Cdecl]<IntPtr, byte*> TreeEntryName;
    public delegate* unmanaged[Cdecl]<IntPtr, byte*> TreeEntryId;
    public delegate* unmanaged[Cdecl]<IntPtr, int> TreeEntryFilemode;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int> TreeEntryByPath;
    public delegate* unmanaged[Cdecl]<IntPtr, void> TreeEntryFree;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int> CommitLookup;
    public delegate* unmanaged[Cdecl]<IntPtr, void> CommitFree;
    public delegate* unmanaged[Cdecl]<IntPtr, byte*> CommitTreeId;
    public delegate* unmanaged[Cdecl]<IntPtr, uint> CommitParentCount;
    public delegate* unmanaged[Cdecl]<IntPtr, uint, byte*> CommitParentId;
    public delegate* unmanaged[Cdecl]<IntPtr, GitSignature*> CommitAuthor;
    public delegate* unmanaged[Cdecl]<IntPtr, GitSignature*> CommitCommitter;
    public delegate* unmanaged[Cdecl]<IntPtr, byte*> CommitMessage;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, IntPtr, IntPtr, GitDiffOptions*, int> DiffTreeToTree;
    public delegate* unmanaged[Cdecl]<IntPtr, GitDiffFindOptions*, int> DiffFindSimilar;
    public delegate* unmanaged[Cdecl]<IntPtr, nuint> DiffNumDeltas;
    public delegate* unmanaged[Cdecl]<IntPtr, nuint, GitDiffDelta*> DiffGetDelta;
    public delegate* unmanaged[Cdecl]<IntPtr, void> DiffFree;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, nuint, int> PatchFromDiff;
    public delegate* unmanaged[Cdecl]<IntPtr, GitDiffDelta*> PatchGetDelta;
    public delegate* unmanaged[Cdecl]<GitBuf*, IntPtr, int> PatchToBuf;
    public delegate* unmanaged[Cdecl]<nuint*, nuint*, nuint*, IntPtr, int> PatchLineStats;
    public delegate* unmanaged[Cdecl]<IntPtr, void> PatchFree;
    public delegate* unmanaged[Cdecl]<GitBuf*, void> BufDispose;
    public delegate* unmanaged[Cdecl]<IntPtr*, byte*, uint, byte*, int> RepositoryOpenExt;
    public delegate* unmanaged[Cdecl]<IntPtr, void> RepositoryFree;
    public delegate* unmanaged[Cdecl]<IntPtr*, int> ConfigNew;
    public delegate* unmanaged[Cdecl]<IntPtr, void> ConfigFree;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int> RepositorySetConfig;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, int> RevwalkNew;
    public delegate* unmanaged[Cdecl]<IntPtr, uint, int> RevwalkSorting;
    public delegate* unmanaged[Cdecl]<IntPtr, byte*, int> RevwalkPush;
    public delegate* unmanaged[Cdecl]<byte*, IntPtr, int> RevwalkNext;
    public delegate* unmanaged[Cdecl]<IntPtr, void> RevwalkFree;
    public delegate* unmanaged[Cdecl]<GitError*> ErrorLast;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int> BlobLookup;
    public delegate* unmanaged[Cdecl]<IntPtr, void> BlobFree;
    public delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, IntPtr, byte*, GitDiffOptions*, int> PatchFromBlobs;
    public delegate* unmanaged[Cdecl]<IntPtr, nuint> PatchNumHunks;
    public delegate* unmanaged[Cdecl]<GitDiffHunk**, nuint*, IntPtr, nuint, int> PatchGetHunk;
    public delegate* unmanaged[Cdecl]<GitDiffLine**, IntPtr, nuint, nuint, int> PatchGetLineInHunk;

    /// <summary><c>git_attr_get</c>: the value of one attribute for a path, as libgit2's diff looks it up.</summary>
    public delegate* unmanaged[Cdecl]<byte**, IntPtr, uint, byte*, byte*, int> AttrGet;

    /// <summary><c>git_attr_value</c>: whether a value <c>git_attr_get</c> gave is unspecified (0), set (1), unset (2) or a string (3).</summary>
    public delegate* unmanaged[Cdecl]<byte*, int> AttrValue;

    /// <summary><c>git_libgit2_opts</c> with one int value (variadic in C; an int passes the same way on the System V and AArch64 ABIs, as LibGit2Sharp's own binding relies on).</summary>
    public delegate* unmanaged[Cdecl]<int, int, int> OptsInt;

    /// <summary><c>git_libgit2_opts</c> with one <c>ssize_t</c> value (a 64-bit register on the same ABIs).</summary>
    public delegate* unmanaged[Cdecl]<int, long, int> OptsLong;

    /// <summary><c>git_libgit2_opts</c> with two <c>ssize_t*</c> (GIT_OPT_GET_CACHED_MEMORY).</summary>
    public delegate* unmanaged[Cdecl]<int, long*, long*, int> OptsTwoLongPointers;

    private static Libgit2? Load()
    {
        string? path = null;
        try
        {
            // LibGit2Sharp loads its library on first use; make sure it has.
            _ = GlobalSettings.Version;
            path = File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
                .FirstOrDefault(p => p is not null && Path.GetFileName(p).StartsWith("libgit2", StringComparison.Ordinal) && p.Contains(".so", StringComparison.Ordinal));
        }
        catch (IOException)
        {
        }

        if (path is null || !NativeLibrary.TryLoad(path, out var lib))
        {
            return null;
        }

        var api = new Libgit2();
        bool all = true;
        IntPtr Export(string name)
        {
            all &= NativeLibrary.TryGetExport(lib, name, out var address);
            return address;
        }

        api.RepositoryOdb = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, int>)Export("git_repository_odb");
        api.OdbRead = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)Export("git_odb_read");
        api.OdbReadHeader = (delegate* unmanaged[Cdecl]<nuint*, int*, IntPtr, byte*, int>)Export("git_odb_read_header");
        api.OdbObjectData = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)Export("git_odb_object_data");
        api.OdbObjectSize = (delegate* unmanaged[Cdecl]<IntPtr, nuint>)Export("git_odb_object_size");
        api.OdbObjectFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_odb_object_free");
        api.OdbFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_odb_free");
        api.TreeLookup = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)Export("git_tree_lookup");
        api.TreeFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_tree_free");
        api.TreeEntryCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint>)Export("git_tree_entrycount");
        api.TreeEntryByIndex = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr>)Export("git_tree_entry_byindex");
        api.TreeEntryName = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)Export("git_tree_entry_name");
        api.TreeEntryId = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)Export("git_tree_entry_id");
        api.TreeEntryFilemode = (delegate* unmanaged[Cdecl]<IntPtr, int>)Export("git_tree_entry_filemode");
        api.TreeEntryByPath = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)Export("git_tree_entry_bypath");
        api.TreeEntryFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_tree_entry_free");
        api.CommitLookup = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)Export("git_commit_lookup");
        api.CommitFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_commit_free");
        api.CommitTreeId = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)Export("git_commit_tree_id");
        api.CommitParentCount = (delegate* unmanaged[Cdecl]<IntPtr, uint>)Export("git_commit_parentcount");
        api.CommitParentId = (delegate* unmanaged[Cdecl]<IntPtr, uint, byte*>)Export("git_commit_parent_id");
        api.CommitAuthor = (delegate* unmanaged[Cdecl]<IntPtr, GitSignature*>)Export("git_commit_author");
        api.CommitCommitter = (delegate* unmanaged[Cdecl]<IntPtr, GitSignature*>)Export("git_commit_committer");
        api.CommitMessage = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)Export("git_commit_message");
        api.DiffTreeToTree = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, IntPtr, IntPtr, GitDiffOptions*, int>)Export("git_diff_tree_to_tree");
        api.DiffFindSimilar = (delegate* unmanaged[Cdecl]<IntPtr, GitDiffFindOptions*, int>)Export("git_diff_find_similar");
        api.DiffNumDeltas = (delegate* unmanaged[Cdecl]<IntPtr, nuint>)Export("git_diff_num_deltas");
        api.DiffGetDelta = (delegate* unmanaged[Cdecl]<IntPtr, nuint, GitDiffDelta*>)Export("git_diff_get_delta");
        api.DiffFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_diff_free");
        api.PatchFromDiff = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, nuint, int>)Export("git_patch_from_diff");
        api.PatchGetDelta = (delegate* unmanaged[Cdecl]<IntPtr, GitDiffDelta*>)Export("git_patch_get_delta");
        api.PatchToBuf = (delegate* unmanaged[Cdecl]<GitBuf*, IntPtr, int>)Export("git_patch_to_buf");
        api.PatchLineStats = (delegate* unmanaged[Cdecl]<nuint*, nuint*, nuint*, IntPtr, int>)Export("git_patch_line_stats");
        api.PatchFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_patch_free");
        api.BufDispose = (delegate* unmanaged[Cdecl]<GitBuf*, void>)Export("git_buf_dispose");
        api.RepositoryOpenExt = (delegate* unmanaged[Cdecl]<IntPtr*, byte*, uint, byte*, int>)Export("git_repository_open_ext");
        api.RepositoryFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_repository_free");
        api.ConfigNew = (delegate* unmanaged[Cdecl]<IntPtr*, int>)Export("git_config_new");
        api.ConfigFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_config_free");
        api.RepositorySetConfig = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)Export("git_repository_set_config");
        api.RevwalkNew = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, int>)Export("git_revwalk_new");
        api.RevwalkSorting = (delegate* unmanaged[Cdecl]<IntPtr, uint, int>)Export("git_revwalk_sorting");
        api.RevwalkPush = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)Export("git_revwalk_push");
        api.RevwalkNext = (delegate* unmanaged[Cdecl]<byte*, IntPtr, int>)Export("git_revwalk_next");
        api.RevwalkFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_revwalk_free");
        api.ErrorLast = (delegate* unmanaged[Cdecl]<GitError*>)Export("git_error_last");
        api.BlobLookup = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, int>)Export("git_blob_lookup");
        api.BlobFree = (delegate* unmanaged[Cdecl]<IntPtr, void>)Export("git_blob_free");
        api.PatchFromBlobs = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, IntPtr, byte*, GitDiffOptions*, int>)Export("git_patch_from_blobs");
        api.PatchNumHunks = (delegate* unmanaged[Cdecl]<IntPtr, nuint>)Export("git_patch_num_hunks");
        api.PatchGetHunk = (delegate* unmanaged[Cdecl]<GitDiffHunk**, nuint*, IntPtr, nuint, int>)Export("git_patch_get_hunk");
        api.PatchGetLineInHunk = (delegate* unmanaged[Cdecl]<GitDiffLine**, IntPtr, nuint, nuint, int>)Export("git_patch_get_line_in_hunk");
        api.AttrGet = (delegate* unmanaged[Cdecl]<byte**, IntPtr, uint, byte*, byte*, int>)Export("git_attr_get");
        api.AttrValue = (delegate* unmanaged[Cdecl]<byte*, int>)Export("git_attr_value");
        api.OptsInt = (delegate* unmanaged[Cdecl]<int, int, int>)Export("git_libgit2_opts");
        api.OptsLong = (delegate* unmanaged[Cdecl]<int, long, int>)Export("git_libgit2_opts");
        api.OptsTwoLongPointers = (delegate* unmanaged[Cdecl]<int, long*, long*, int>)Export("git_libgit2_opts");
        return all ? api : null;
    }

    /// <summary>
    /// The ids of the commits reachable from <paramref name="tip"/> in the order
    /// <paramref name="sorting"/> gives (git_sort_t, as LibGit2Sharp's <c>QueryBy</c> passes its
    /// <c>CommitSortStrategies</c>), as shas, or libgit2's error when the walk fails.
    /// </summary>
    public (List<string> Shas, string? Error) Walk(IntPtr repo, ObjectId tip, uint sorting)
    {
        const int IterOver = -31;
        IntPtr walk;
        if (RevwalkNew(&walk, repo) != 0)
        {
            return ([], LastError());
        }

        try
        {
            var shas = new List<string>();
            var oid = stackalloc byte[20];
            int result = RevwalkSorting(walk, sorting);
            if (result == 0)
            {
                fixed (byte* start = tip.RawId)
                {
                    result = RevwalkPush(walk, start);
                }
            }

            while (result == 0 && (result = RevwalkNext(oid, walk)) == 0)
            {
                shas.Add(Convert.ToHexStringLower(new ReadOnlySpan<byte>(oid, 20)));
            }

            return result == IterOver ? (shas, null) : ([], LastError());
        }
        finally
        {
            RevwalkFree(walk);
        }
    }

    /// <summary>The message of libgit2's last error on this thread.</summary>
    private string LastError() =>
        ErrorLast() is var e && e != null && e->Message != null ? Marshal.PtrToStringUTF8((IntPtr)e->Message) ?? "unknown error" : "unknown error";

    /// <summary>An object's content from an object database, as git stores it (a commit's raw text, a blob's bytes), or null when it cannot be read.</summary>
    public byte[]? ReadObject(IntPtr odb, ObjectId id) =>
        TryReadObject(odb, id, static content => content.ToArray(), out var bytes) ? bytes : null;

    /// <summary>Reads an object's content where libgit2 holds it, without a copy (<see cref="TryReadObject{T}"/>).</summary>
    public delegate T ContentReader<T>(ReadOnlySpan<byte> content);

    /// <summary>
    /// <paramref name="read"/>'s answer for an object's content, handed over in libgit2's own buffer
    /// (freed as soon as it returns, so nothing of it may be kept); false when the object cannot be read.
    /// </summary>
    public bool TryReadObject<T>(IntPtr odb, ObjectId id, ContentReader<T> read, out T result)
    {
        result = default!;
        IntPtr obj;
        fixed (byte* oid = id.RawId)
        {
            if (OdbRead(&obj, odb, oid) != 0)
            {
                return false;
            }
        }

        try
        {
            var size = OdbObjectSize(obj);
            if (size > int.MaxValue)
            {
                return false;
            }

            result = read(new ReadOnlySpan<byte>((void*)OdbObjectData(obj), (int)size));
            return true;
        }
        finally
        {
            OdbObjectFree(obj);
        }
    }

    /// <summary>
    /// An object's content as a stream over libgit2's own copy, read (inflated) once and freed when
    /// the stream is disposed; null when it cannot be read. A large blob read through LibGit2Sharp
    /// (its lookup, its size, its content stream) was inflated three times.
    /// </summary>
    public Stream? OpenObject(IntPtr odb, ObjectId id)
    {
        IntPtr obj;
        fixed (byte* oid = id.RawId)
        {
            if (OdbRead(&obj, odb, oid) != 0)
            {
                return null;
            }
        }

        var size = (long)OdbObjectSize(obj);
        return new ObjectStream(this, obj, (byte*)OdbObjectData(obj), size);
    }

    /// <summary>A read-only stream over a <c>git_odb_object</c>'s data, which it frees when disposed.</summary>
    private sealed class ObjectStream(Libgit2 api, IntPtr obj, byte* data, long size) : UnmanagedMemoryStream(data, size)
    {
        private IntPtr _obj = obj;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (_obj != IntPtr.Zero)
            {
                api.OdbObjectFree(_obj);
                _obj = IntPtr.Zero;
            }
        }
    }

    /// <summary>The native <c>git_repository*</c> LibGit2Sharp holds for <paramref name="repo"/>, or zero when it cannot be reached.</summary>
    public static IntPtr RepositoryPointer(Repository repo)
    {
        try
        {
            // Bound at compile time (no reflection), so the hook compiled ahead of time reaches it too.
            return AsIntPtr(Handle(repo));
        }
        catch (Exception e) when (e is MissingMemberException or InvalidCastException or NullReferenceException)
        {
            return IntPtr.Zero;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Handle")]
    [return: UnsafeAccessorType("LibGit2Sharp.Core.Handles.RepositoryHandle, LibGit2Sharp")]
    private static extern object Handle(Repository repo);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "AsIntPtr")]
    private static extern IntPtr AsIntPtr([UnsafeAccessorType("LibGit2Sharp.Core.Handles.Libgit2Object, LibGit2Sharp")] object handle);
}
