using System.Runtime.InteropServices;

namespace Ledger.Capture.Git;

// Which paths two trees differ in, found as git's own tree diff finds them: a folder with the same
// object id on both sides is not opened. libgit2's tree-to-tree diff opens every folder of both
// trees for every commit, so its cost grows with the size of the repository rather than of the
// change (a quarter of Mic92/dotfiles' import); given these paths as a literal path list, it
// opens only the folders on their way and produces the same deltas.
public sealed partial class GitHistoryReader
{
    private const int TreeFileMode = 0x4000; // 0040000

    /// <summary>
    /// Paths (raw bytes, as the trees hold them) that cover every file the trees differ in: a file,
    /// link or submodule that differs in id or mode, a folder on one side only or against a file of
    /// the same name (its whole content, the path ending in '/'). No changed file is left out.
    /// Null when a folder cannot be read or is not in git's order (the caller diffs the whole
    /// trees, and libgit2 says what is wrong).
    /// </summary>
    private static List<byte[]>? ChangedPaths(Libgit2 api, IntPtr repo, IntPtr oldTree, IntPtr newTree)
    {
        var paths = new List<byte[]>();
        if (!CollectChanges(api, repo, oldTree, newTree, [], paths))
        {
            return null;
        }

        // A file on one side and a folder of the same name on the other are listed twice.
        paths.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
        for (var i = paths.Count - 1; i > 0; i--)
        {
            if (paths[i].AsSpan().SequenceEqual(paths[i - 1]))
            {
                paths.RemoveAt(i);
            }
        }

        return paths;
    }

    /// <summary>Walks two trees in git's order of entries, descending only into folders that differ.</summary>
    private static unsafe bool CollectChanges(Libgit2 api, IntPtr repo, IntPtr oldTree, IntPtr newTree, byte[] prefix, List<byte[]> paths)
    {
        nuint oldCount = oldTree == IntPtr.Zero ? 0 : api.TreeEntryCount(oldTree), newCount = newTree == IntPtr.Zero ? 0 : api.TreeEntryCount(newTree);
        if (!InGitOrder(api, oldTree, oldCount) || !InGitOrder(api, newTree, newCount))
        {
            // libgit2 walks a tree as stored and its path list as sorted; out of order, the list
            // could pass over a changed file, so such a commit diffs the whole trees.
            return false;
        }

        nuint i = 0, j = 0;
        while (i < oldCount || j < newCount)
        {
            var a = i < oldCount ? api.TreeEntryByIndex(oldTree, i) : IntPtr.Zero;
            var b = j < newCount ? api.TreeEntryByIndex(newTree, j) : IntPtr.Zero;
            if (a == IntPtr.Zero || b == IntPtr.Zero)
            {
                var only = a == IntPtr.Zero ? b : a;
                if (only == IntPtr.Zero)
                {
                    return false;
                }

                paths.Add(Listed(prefix, NameOf(api, only), api.TreeEntryFilemode(only) == TreeFileMode));
                i += a == IntPtr.Zero ? 0u : 1u;
                j += a == IntPtr.Zero ? 1u : 0u;
                continue;
            }

            int modeA = api.TreeEntryFilemode(a), modeB = api.TreeEntryFilemode(b);
            var nameA = NameOf(api, a);
            var order = GitOrder(nameA, modeA == TreeFileMode, NameOf(api, b), modeB == TreeFileMode);
            if (order != 0)
            {
                paths.Add(order < 0 ? Listed(prefix, nameA, modeA == TreeFileMode) : Listed(prefix, NameOf(api, b), modeB == TreeFileMode));
                i += order < 0 ? 1u : 0u;
                j += order < 0 ? 0u : 1u;
                continue;
            }

            i++;
            j++;
            if (modeA == modeB && new ReadOnlySpan<byte>(api.TreeEntryId(a), 20).SequenceEqual(new ReadOnlySpan<byte>(api.TreeEntryId(b), 20)))
            {
                continue;
            }

            if (modeA != TreeFileMode || modeB != TreeFileMode)
            {
                paths.Add(Joined(prefix, nameA)); // a file, link or submodule on both sides
                continue;
            }

            IntPtr oldSub = IntPtr.Zero, newSub = IntPtr.Zero;
            try
            {
                var folder = Joined(prefix, nameA);
                folder[^1] = (byte)'/';
                if (api.TreeLookup(&oldSub, repo, api.TreeEntryId(a)) != 0
                    || api.TreeLookup(&newSub, repo, api.TreeEntryId(b)) != 0
                    || !CollectChanges(api, repo, oldSub, newSub, folder, paths))
                {
                    return false;
                }
            }
            finally
            {
                if (oldSub != IntPtr.Zero)
                {
                    api.TreeFree(oldSub);
                }

                if (newSub != IntPtr.Zero)
                {
                    api.TreeFree(newSub);
                }
            }
        }

        return true;
    }

    /// <summary>Whether a tree's entries are stored in git's order, each after the one before (a damaged tree may not be).</summary>
    private static unsafe bool InGitOrder(Libgit2 api, IntPtr tree, nuint count)
    {
        for (nuint k = 1; k < count; k++)
        {
            IntPtr before = api.TreeEntryByIndex(tree, k - 1), entry = api.TreeEntryByIndex(tree, k);
            if (before == IntPtr.Zero || entry == IntPtr.Zero
                || GitOrder(NameOf(api, before), api.TreeEntryFilemode(before) == TreeFileMode, NameOf(api, entry), api.TreeEntryFilemode(entry) == TreeFileMode) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static unsafe ReadOnlySpan<byte> NameOf(Libgit2 api, IntPtr entry) =>
        MemoryMarshal.CreateReadOnlySpanFromNullTerminated(api.TreeEntryName(entry));

    /// <summary>
    /// The path of an entry as the diff's path list takes it: null-terminated, a folder's with a
    /// trailing '/'. libgit2 walks its sorted list alongside the trees and steps past an entry it
    /// has not matched when a later one sorts before the path it is at ("a" before "a-b/c" while
    /// at "a-b/c", in a tree where "a-b/" comes before "a/"); with the slash, the list sorts in the
    /// trees' own order ("a-b/c" before "a/") and no entry is passed over.
    /// </summary>
    private static byte[] Listed(byte[] prefix, ReadOnlySpan<byte> name, bool folder)
    {
        var path = Joined(prefix, name);
        return folder ? [.. path.AsSpan(0, path.Length - 1), (byte)'/', 0] : path;
    }

    /// <summary>The prefix and the name, null-terminated.</summary>
    private static byte[] Joined(byte[] prefix, ReadOnlySpan<byte> name)
    {
        var path = new byte[prefix.Length + name.Length + 1];
        prefix.CopyTo(path, 0);
        name.CopyTo(path.AsSpan(prefix.Length));
        return path;
    }

    /// <summary>git's order of tree entries: by name, a folder's name compared as if it ended in '/'.</summary>
    private static int GitOrder(ReadOnlySpan<byte> a, bool aIsTree, ReadOnlySpan<byte> b, bool bIsTree)
    {
        var common = Math.Min(a.Length, b.Length);
        var order = a[..common].SequenceCompareTo(b[..common]);
        if (order != 0)
        {
            return order;
        }

        int nextA = a.Length > common ? a[common] : aIsTree ? '/' : 0;
        int nextB = b.Length > common ? b[common] : bIsTree ? '/' : 0;
        return nextA.CompareTo(nextB);
    }
}
