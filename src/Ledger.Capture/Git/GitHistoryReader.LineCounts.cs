using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// The lines a modified large file added and removed, counted from 64-bit hashes of its lines
// rather than from its text (GitHistoryReader.Large.cs decides when).
public sealed partial class GitHistoryReader
{
    /// <summary>
    /// Lines added and removed between two blobs by a minimal line diff (Myers) over 64-bit hashes
    /// of their lines, each with its line break: a few megabytes for a million lines. Null when the
    /// files differ in so many places that the diff would take long; libgit2 counts those.
    /// </summary>
    internal static (int Added, int Removed)? CountChangedLines(List<ulong> before, List<ulong> after)
    {
        ReadOnlySpan<ulong> a = CollectionsMarshal.AsSpan(before), b = CollectionsMarshal.AsSpan(after);
        var prefix = a.CommonPrefixLength(b);
        a = a[prefix..];
        b = b[prefix..];
        int suffix = 0;
        while (suffix < a.Length && suffix < b.Length && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        a = a[..^suffix];
        b = b[..^suffix];

        // A few changes (the usual edit of a large file) take a few steps of the diff.
        if (EditDistance(a, b, maxWork: 0) is { } few)
        {
            var same = (a.Length + b.Length - few) / 2;
            return (b.Length - same, a.Length - same);
        }

        // Many: a line that the other side does not hold at all is added or removed whatever the
        // diff. Left out, the longest common subsequence of what remains is that of both sides (as
        // git's xdiff discards such lines first), and a file rewritten in thousands of places costs
        // a diff of the lines both sides hold rather than of everything.
        ReadOnlySpan<ulong> keptA = Held(a, b), keptB = Held(b, a);
        var distance = EditDistance(keptA, keptB, maxWork: 200_000_000);
        if (distance is not { } d)
        {
            return null;
        }

        var common = (keptA.Length + keptB.Length - d) / 2;
        return (b.Length - common, a.Length - common);
    }

    /// <summary>The lines of <paramref name="side"/> that <paramref name="other"/> holds too, in their order.</summary>
    private static ulong[] Held(ReadOnlySpan<ulong> side, ReadOnlySpan<ulong> other)
    {
        var held = new HashSet<ulong>(other.Length);
        foreach (var line in other)
        {
            held.Add(line);
        }

        var kept = new List<ulong>(side.Length);
        foreach (var line in side)
        {
            if (held.Contains(line))
            {
                kept.Add(line);
            }
        }

        return [.. kept];
    }

    /// <summary>The fewest lines removed plus added that turn <paramref name="a"/> into <paramref name="b"/> (Myers' greedy algorithm), or null past the work allowed.</summary>
    internal static int? EditDistance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, long maxWork)
    {
        var lengthA = a.Length;
        var lengthB = b.Length;
        var most = (int)Math.Min(lengthA + lengthB, Math.Max(64, maxWork / Math.Max(1, lengthA + lengthB)));
        var v = new int[(2 * most) + 3];
        var offset = most + 1;
        for (var d = 0; d <= most; d++)
        {
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                if (x < lengthA && y < lengthB)
                {
                    // The snake: the lines both sides have in common from here.
                    x += a[x..].CommonPrefixLength(b[y..]);
                    y = x - k;
                }

                v[offset + k] = x;
                if (x >= lengthA && y >= lengthB)
                {
                    return d;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A 64-bit FNV-1a hash of every line of a blob, its line break included (a last line without
    /// one differs from the same line with one, as in git), and whether its first 8,000 bytes hold a NUL.
    /// </summary>
    private (List<ulong> Hashes, bool Binary) LineHashes(ObjectId id)
    {
        const ulong Basis = 14695981039346656037, Prime = 1099511628211;
        var hashes = new List<ulong>();
        using var content = BlobContent(id);
        var buffer = new byte[64 * 1024];
        var hash = Basis;
        var open = false;
        var binary = false;
        long seen = 0;
        int count;
        while ((count = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (seen < BinaryCheckBytes)
            {
                binary |= buffer.AsSpan(0, (int)Math.Min(count, BinaryCheckBytes - seen)).Contains((byte)0);
                if (binary)
                {
                    // A binary file's lines are not counted: the rest need not be read.
                    return ([], true);
                }
            }

            seen += count;
            foreach (var c in buffer.AsSpan(0, count))
            {
                hash = (hash ^ c) * Prime;
                open = true;
                if (c == '\n')
                {
                    hashes.Add(hash);
                    hash = Basis;
                    open = false;
                }
            }
        }

        if (open)
        {
            hashes.Add(hash);
        }

        return (hashes, binary);
    }
}
