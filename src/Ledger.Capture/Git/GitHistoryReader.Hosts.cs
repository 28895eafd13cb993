using System.Runtime.InteropServices;
using System.Text;
using Ledger.Core.Nix;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>The facts about Nix that a commit's event carries, as <see cref="GitHistoryReader.DeriveNix"/> derives them again.</summary>
public sealed record NixFacts(IReadOnlyList<FlakeInputChange>? FlakeInputs, string? FlakeLockProblem, IReadOnlyList<string>? Hosts, bool? Shared);

// Which hosts of a multi-host configuration a commit touches, from the layout on both sides of it.
public sealed partial class GitHistoryReader
{
    private readonly Dictionary<string, HostLayout> _layouts = new(StringComparer.Ordinal);
    private readonly Dictionary<RawId, (string Root, ObjectId Id)[]> _nestedRoots = [];
    private readonly Dictionary<ObjectId, HostLayout> _layoutOfCommit = [];

    /// <summary>
    /// Commits whose layout is remembered (per reader) for their children, before the cache starts
    /// again: a child is read soon after its parent, and the layouts themselves are shared.
    /// </summary>
    private const int LayoutsOfCommits = 1024;
    private readonly Dictionary<ObjectId, (string Path, ObjectId Id)[]> _rootsOfTree = [];
    private readonly Dictionary<ObjectId, IReadOnlySet<string>> _flakeNames = [];
    private readonly Dictionary<(string Path, ObjectId Id), string[]> _entries = [];

    /// <summary>
    /// The hosts whose own files the commit changes and whether it changes anything outside them,
    /// or nulls when the repository has no host layout (a single-host configuration). The layout is
    /// the configured one (<see cref="HostDirectories"/>) or the one found in the commit's tree and
    /// its first parent's, so a commit that removes a host still names it.
    /// </summary>
    private (IReadOnlyList<string>? Hosts, bool? Shared) HostsOf(Commit commit, IReadOnlyList<FileChange> files) =>
        HostsOf(files, () => commit.Parents.FirstOrDefault() is { } parent
            ? (commit.Id, new TreeRef(() => commit.Tree), parent.Id, new TreeRef(() => TreeOf(parent)))
            : (commit.Id, new TreeRef(() => commit.Tree), null, null));

    /// <summary><see cref="HostsOf(Commit, IReadOnlyList{FileChange})"/> with the commit's id and tree and its first parent's given (asked for only when no layout is configured).</summary>
    private (IReadOnlyList<string>? Hosts, bool? Shared) HostsOf(IReadOnlyList<FileChange> files, Func<(ObjectId Id, TreeRef Tree, ObjectId? Parent, TreeRef? ParentTree)> sides)
    {
        try
        {
            var layout = HostDirectories.Configured ?? LayoutAt(sides(), files);
            if (layout.IsEmpty)
            {
                return (null, null);
            }

            var (hosts, shared) = layout.Touched(files.SelectMany(f => f.OldPath is null || f.OldPath == f.Path ? [f.Path] : new[] { f.OldPath, f.Path }));
            return (hosts, shared);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            // The layout is a reading aid; a tree that cannot be read leaves the commit without it.
            return (null, null);
        }
    }

    /// <summary>
    /// The Nix facts of a commit recorded earlier, from its stored file list: what a reader of this
    /// build would put in <see cref="ConfigEdited.FlakeInputs"/>, <see cref="ConfigEdited.FlakeLockProblem"/>,
    /// <see cref="ConfigEdited.Hosts"/> and <see cref="ConfigEdited.Shared"/>. Null when the commit is
    /// not in the repository any more.
    /// </summary>
    public NixFacts? DeriveNix(string sha, IReadOnlyList<FileChange> files)
    {
        if (_repo.Lookup<Commit>(sha) is not { } commit)
        {
            return null;
        }

        var (inputs, problem) = FlakeInputsOf(commit, files);
        var (hosts, shared) = HostsOf(commit, files);
        return new NixFacts(inputs, problem, hosts, shared);
    }

    /// <summary>
    /// The layout for a commit, from its tree and its first parent's. A commit none of whose
    /// changed paths can move a host folder or flake.nix (most commits) has the same names and
    /// folders on both sides: its layout is its parent's tree's own, remembered when the parent was
    /// read (usually just before). What is remembered for a commit is the layout of its own tree,
    /// not the one from both sides: a commit that changed the layout (flake.nix stopped naming
    /// hosts, a host folder left) does not hand its parent's names or folders on to its children.
    /// </summary>
    private HostLayout LayoutAt((ObjectId Id, TreeRef Tree, ObjectId? Parent, TreeRef? ParentTree) commit, IReadOnlyList<FileChange> files)
    {
        var moves = files.Any(MayMoveLayout);
        HostLayout layout, own;
        if (commit.Parent is { } parent && !moves && _layoutOfCommit.TryGetValue(parent, out var inherited))
        {
            layout = own = inherited;
        }
        else
        {
            layout = LayoutOf(commit.Tree, commit.ParentTree);
            own = commit.Parent is not null && moves ? LayoutOf(commit.Tree, null) : layout;
        }

        if (_layoutOfCommit.Count >= LayoutsOfCommits)
        {
            _layoutOfCommit.Clear();
        }

        _layoutOfCommit[commit.Id] = own;
        return layout;
    }

    /// <summary>
    /// A change to flake.nix, or a file added, removed, renamed or changed in type on a path through
    /// a host folder in its first three segments. Editing a file changes no name in a host folder,
    /// so it keeps the layout.
    /// </summary>
    private static bool MayMoveLayout(FileChange f) =>
        f.Path == "flake.nix" || f.OldPath == "flake.nix"
        || (f.Kind != FileChangeKind.Modified && (MayMoveLayout(f.Path) || (f.OldPath is { } old && MayMoveLayout(old))));

    private static bool MayMoveLayout(string path) => path.Split('/', 4).Take(3).Any(segment => HostLayout.Roots.Contains(segment));

    private HostLayout LayoutOf(TreeRef tree, TreeRef? parent)
    {
        var sides = parent is null ? new[] { tree } : [tree, parent];
        var roots = sides.SelectMany(RootsOf).ToArray();
        var flakes = sides.Select(FlakeNixOf).OfType<ObjectId>().ToArray();
        var key = string.Join(' ', roots.Select(r => r.Path + "=" + r.Id.Sha).Concat(flakes.Select(f => f.Sha)));
        return Remembered(_layouts, key, () => HostLayout.Detect(
            flakes.SelectMany(FlakeNamesOf).ToHashSet(StringComparer.Ordinal),
            roots.SelectMany(r => EntriesOf(r.Path, r.Id)).Distinct(StringComparer.Ordinal).ToArray()));
    }

    /// <summary>The host folders of a tree (<see cref="HostRoots"/>), remembered by the tree's id: a commit's tree is its child's parent side.</summary>
    private (string Path, ObjectId Id)[] RootsOf(TreeRef tree) =>
        Remembered(_rootsOfTree, tree.Id, () => (Direct() is { } api ? HostRootsDirect(api, tree.Id) : null) ?? HostRoots(tree.Tree).ToArray());

    /// <summary>The blob at flake.nix in a tree, if there is one.</summary>
    private ObjectId? FlakeNixOf(TreeRef tree) =>
        tree.Direct ? BlobAt(tree.Id, "flake.nix")
        : tree.Tree["flake.nix"] is { TargetType: TreeEntryTargetType.Blob } entry ? entry.Target.Id : null;

    /// <summary>The host names flake.nix declares, remembered by the file's content id.</summary>
    private IReadOnlySet<string> FlakeNamesOf(ObjectId flake) => Remembered(_flakeNames, flake, () => FlakeHosts.Names(_repo.Lookup<Blob>(flake).GetContentText()));

    /// <summary>A host folder's entries (<see cref="EntriesOf(string, Tree)"/>), remembered by its path and id.</summary>
    private string[] EntriesOf(string path, ObjectId id) => Remembered(_entries, (path, id), () => EntriesOf(path, _repo.Lookup<Tree>(id)).ToArray());

    /// <summary>The value cached under the key, else read and cached (a cache that reaches <paramref name="capacity"/> entries starts again).</summary>
    private static TValue Remembered<TKey, TValue>(Dictionary<TKey, TValue> cache, TKey key, Func<TValue> read, int capacity = 256)
        where TKey : notnull
    {
        if (!cache.TryGetValue(key, out var value))
        {
            value = read();
            if (cache.Count >= capacity)
            {
                cache.Clear();
            }

            cache[key] = value;
        }

        return value;
    }

    /// <summary>
    /// The host folders of a tree (<see cref="HostLayout.Roots"/>), at its top or one level down, by
    /// object id. Which host folders a top-level folder holds is remembered by that folder's id, so
    /// a commit loads only the folders that changed.
    /// </summary>
    private IEnumerable<(string Path, ObjectId Id)> HostRoots(Tree tree)
    {
        foreach (var entry in tree)
        {
            if (entry.TargetType != TreeEntryTargetType.Tree)
            {
                continue;
            }

            var id = entry.Target.Id;
            if (HostLayout.Roots.Contains(entry.Name))
            {
                yield return (entry.Name, id);
                continue;
            }

            var key = RawId.Of(id.RawId);
            if (!_nestedRoots.TryGetValue(key, out var nested))
            {
                var sub = _repo.Lookup<Tree>(id);
                nested = HostLayout.Roots.Select(r => sub[r]).Where(e => e?.TargetType == TreeEntryTargetType.Tree).Select(e => (e!.Name, e.Target.Id)).ToArray();
                RememberNested(key, nested);
            }

            foreach (var (root, rootId) in nested)
            {
                yield return ($"{entry.Name}/{root}", rootId);
            }
        }
    }

    private void RememberNested(RawId key, (string Root, ObjectId Id)[] nested)
    {
        if (_nestedRoots.Count > 65536)
        {
            _nestedRoots.Clear();
        }

        _nestedRoots[key] = nested;
    }

    private static readonly byte[][] RootNames = HostLayout.Roots.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Which of <see cref="HostLayout.Roots"/> a tree entry's name is, or -1.</summary>
    private static int RootIndex(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < RootNames.Length; i++)
        {
            if (name.SequenceEqual(RootNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// <see cref="HostRoots"/> read straight from libgit2, with nothing made for the entries that
    /// are not host folders (a history's every commit has a root tree of its own, and LibGit2Sharp
    /// makes several objects per entry). Null when a tree cannot be read this way.
    /// </summary>
    private unsafe (string Path, ObjectId Id)[]? HostRootsDirect(Libgit2 api, ObjectId id)
    {
        IntPtr tree;
        if (!LookupTree(api, id, &tree))
        {
            return null;
        }

        try
        {
            List<(string Path, ObjectId Id)>? roots = null;
            var count = api.TreeEntryCount(tree);
            for (nuint i = 0; i < count; i++)
            {
                var entry = api.TreeEntryByIndex(tree, i);
                if (api.TreeEntryFilemode(entry) != TreeMode)
                {
                    continue;
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(api.TreeEntryName(entry));
                var oid = new ReadOnlySpan<byte>(api.TreeEntryId(entry), 20);
                if (RootIndex(name) is var root and >= 0)
                {
                    (roots ??= []).Add((HostLayout.Roots[root], new ObjectId(oid.ToArray())));
                    continue;
                }

                var key = RawId.Of(oid);
                if (!_nestedRoots.TryGetValue(key, out var nested))
                {
                    if (NestedRootsDirect(api, api.TreeEntryId(entry)) is not { } read)
                    {
                        return null;
                    }

                    nested = read;
                    RememberNested(key, nested);
                }

                if (nested.Length > 0)
                {
                    var folder = Encoding.UTF8.GetString(name);
                    foreach (var (inner, innerId) in nested)
                    {
                        (roots ??= []).Add(($"{folder}/{inner}", innerId));
                    }
                }
            }

            return roots?.ToArray() ?? [];
        }
        finally
        {
            api.TreeFree(tree);
        }
    }

    /// <summary>The host folders directly inside a folder, in the order of <see cref="HostLayout.Roots"/>; null when it cannot be read.</summary>
    private unsafe (string Root, ObjectId Id)[]? NestedRootsDirect(Libgit2 api, byte* oid)
    {
        IntPtr sub;
        if (api.TreeLookup(&sub, _repoHandle, oid) != 0)
        {
            return null;
        }

        try
        {
            ObjectId?[]? found = null;
            var count = api.TreeEntryCount(sub);
            for (nuint i = 0; i < count; i++)
            {
                var entry = api.TreeEntryByIndex(sub, i);
                if (api.TreeEntryFilemode(entry) == TreeMode && RootIndex(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(api.TreeEntryName(entry))) is var root and >= 0)
                {
                    (found ??= new ObjectId?[RootNames.Length])[root] = IdAt(api.TreeEntryId(entry));
                }
            }

            return found is null ? [] : found.Select((id, r) => (HostLayout.Roots[r], id)).Where(f => f.id is not null).Select(f => (f.Item1, f.id!)).ToArray();
        }
        finally
        {
            api.TreeFree(sub);
        }
    }

    /// <summary>An object id as a key that costs no allocation to make from libgit2's 20 bytes.</summary>
    private readonly record struct RawId(ulong A, ulong B, uint C)
    {
        public static RawId Of(ReadOnlySpan<byte> id) =>
            new(MemoryMarshal.Read<ulong>(id), MemoryMarshal.Read<ulong>(id[8..]), MemoryMarshal.Read<uint>(id[16..]));
    }

    /// <summary>A host folder's entries: directories end in <c>/</c>; a platform folder (<see cref="IsPlatform"/>) is looked into.</summary>
    private static IEnumerable<string> EntriesOf(string path, Tree tree)
    {
        foreach (var entry in tree)
        {
            var full = $"{path}/{entry.Name}";
            if (entry.Target is Tree sub && IsPlatform(entry.Name))
            {
                foreach (var inner in sub)
                {
                    yield return inner.Target is Tree ? $"{full}/{inner.Name}/" : $"{full}/{inner.Name}";
                }
            }
            else if (entry.Target is Tree)
            {
                yield return full + "/";
            }
            else if (entry.Name.EndsWith(".nix", StringComparison.Ordinal))
            {
                yield return full;
            }
        }
    }

    /// <summary>A folder that groups hosts by platform (<c>x86_64-linux</c>, <c>aarch64-darwin</c>, <c>nixos</c>, <c>darwin</c>): its entries are the hosts.</summary>
    private static bool IsPlatform(string name) =>
        name is "nixos" or "darwin" || name.EndsWith("-linux", StringComparison.Ordinal) || name.EndsWith("-darwin", StringComparison.Ordinal);
}
