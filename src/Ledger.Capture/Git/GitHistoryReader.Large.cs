using System.Runtime.InteropServices;
using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// Files too large to diff in memory. LibGit2Sharp builds a patch's whole text as strings (a 50 MB
// file costs half a gigabyte), so a commit with a large blob diffs its other files as usual and
// reads each large one itself: an added or deleted file streamed into exactly the patch libgit2
// would give, up to the patch limit; a modified one counted by libgit2 (no text; over 8 MiB a side
// from line hashes, GitHistoryReader.LineCounts.cs) and kept without its patch.
public sealed partial class GitHistoryReader
{
    /// <summary>A blob above this many bytes is read as a large file (see above).</summary>
    public const long DefaultLargeFileBytes = 1024 * 1024;

    /// <summary>How much text past the patch limit a streamed patch reads, so that a secret across the limit is still redacted whole.</summary>
    private const int RedactionMargin = 64 * 1024;

    /// <summary>libgit2, like git, calls a file binary when its first 8,000 bytes hold a NUL.</summary>
    private const int BinaryCheckBytes = 8000;

    private static readonly ExplicitPathsOptions ExactPaths = new() { ShouldFailOnUnmatchedPath = false };

    /// <summary>Blobs above this size are read as large files (tests lower it to compare both ways of reading).</summary>
    internal long LargeFileBytes { get; set; } = DefaultLargeFileBytes;

    /// <summary>
    /// A modified large file whose sides are both at most this size has its lines counted by
    /// libgit2, which holds both (a few megabytes): its counts are git's own (<c>git log --stat</c>,
    /// xdiff's heuristics included). Above it they are counted from line hashes (tests lower it).
    /// </summary>
    internal long CountedByLibgit2Bytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The changes of a commit (renames not looked for), and those whose blob on either side is large: none for nearly every commit.</summary>
    private (List<TreeEntryChanges> All, List<TreeEntryChanges> Large) LargeChanges(Tree? oldTree, Tree newTree)
    {
        var all = _repo.Diff.Compare<TreeChanges>(oldTree, newTree, WithoutRenames).ToList();
        return (all, all.Where(c => IsLarge(c.OldExists, c.OldMode, c.OldOid) || IsLarge(c.Exists, c.Mode, c.Oid)).ToList());
    }

    private bool IsLarge(bool exists, Mode mode, ObjectId id) =>
        exists && mode is not (Mode.GitLink or Mode.Directory) && _repo.ObjectDatabase.RetrieveObjectMetadata(id).Size > LargeFileBytes;

    /// <summary>The commit's files when some are large: the others from libgit2's patch, the large ones read here, in path order.</summary>
    private (List<PendingFile> Files, int Added, int Removed, string? Incomplete) WithLargeFiles(Tree? oldTree, Tree newTree, (List<TreeEntryChanges> All, List<TreeEntryChanges> Large) changes, bool renames)
    {
        var largePaths = changes.Large.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var others = changes.All
            .Where(c => !largePaths.Contains(c.Path))
            .SelectMany(c => new[] { c.Path, c.OldPath })
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // A large file's patch is redacted as it is streamed, within what the others left of the
        // commit's budget: the others are finished here, in the reading thread.
        var (pending, added, removed, _) = others.Count == 0 ? ([], 0, 0, null) : FromPatch(OthersPatch(oldTree, newTree, others, renames));
        var files = FinishFiles(pending);
        long budget = MaxCommitPatchChars - files.Sum(f => (long)(f.Patch?.Length ?? 0));

        // A large file moved unchanged (the usual way a large file moves) is a rename, as libgit2 says.
        var moved = new List<TreeEntryChanges>();
        foreach (var from in changes.Large.Where(c => c.Status == ChangeKind.Deleted).ToList())
        {
            var to = changes.Large.FirstOrDefault(c => c.Status == ChangeKind.Added && c.Oid == from.OldOid && !moved.Contains(c));
            if (to is not null)
            {
                moved.Add(to);
                changes.Large.Remove(from);
                files.Add(Moved(from, to));
            }
        }

        foreach (var change in changes.Large.Except(moved))
        {
            var file = LargeFile(oldTree, newTree, change, budget);
            budget -= file.Patch?.Length ?? 0;
            files.Add(file);
            added += file.LinesAdded;
            removed += file.LinesRemoved;
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return (files.Select(PendingFile.Done).ToList(), added, removed, null);
    }

    /// <summary>The patch of the files beside the large ones: straight from libgit2 when it can, else through LibGit2Sharp.</summary>
    private IEnumerable<PatchFile> OthersPatch(Tree? oldTree, Tree newTree, List<string> others, bool renames)
    {
        if (DirectPatch(oldTree?.Id, newTree.Id, renames, others) is { } direct)
        {
            return direct;
        }

        RequireLineCallbacks();
        return Entries(_repo.Diff.Compare<Patch>(oldTree, newTree, others, ExactPaths, renames ? Compare : WithoutRenames));
    }

    private FileChange Moved(TreeEntryChanges from, TreeEntryChanges to)
    {
        if (StartsBinary(to.Oid))
        {
            return new FileChange(to.Path, from.Path, FileChangeKind.Renamed, 0, 0, [], Binary: true, Patch: null);
        }

        var modes = from.OldMode == to.Mode ? "" : $"old mode {ModeText(from.OldMode)}\nnew mode {ModeText(to.Mode)}\n";
        var patch = $"diff --git a/{from.Path} b/{to.Path}\n{modes}similarity index 100%\nrename from {from.Path}\nrename to {to.Path}\n";
        return new FileChange(to.Path, from.Path, FileChangeKind.Renamed, 0, 0, [], Binary: false, Patch: _redactor.Redact(patch));
    }

    private static string ModeText(Mode mode) => Convert.ToString((int)mode, 8).PadLeft(6, '0');

    private FileChange LargeFile(Tree? oldTree, Tree newTree, TreeEntryChanges change, long budget)
    {
        var kind = KindOf(change.Status);
        if (kind is FileChangeKind.Added or FileChangeKind.Deleted)
        {
            var added = kind == FileChangeKind.Added;
            if (BinaryByAttributes(change.Path))
            {
                // As the usual reading gives a file libgit2 diffs as binary (git log: "Bin").
                return new FileChange(change.Path, null, kind, 0, 0, [], Binary: true, Patch: null);
            }

            return Streamed(change.Path, added, added ? change.Mode : change.OldMode, added ? change.Oid : change.OldOid, budget);
        }

        var size = _repo.ObjectDatabase.RetrieveObjectMetadata(change.Oid).Size;
        bool binary;
        (int Added, int Removed) counts;
        if (BinaryByAttributes(change.Path))
        {
            (binary, counts) = (true, (0, 0));
        }
        else if (size <= CountedByLibgit2Bytes && _repo.ObjectDatabase.RetrieveObjectMetadata(change.OldOid).Size <= CountedByLibgit2Bytes)
        {
            binary = StartsBinary(change.OldOid) || StartsBinary(change.Oid);
            counts = binary ? (0, 0) : LibGit2Counts(oldTree, newTree, change.Path);
        }
        else
        {
            // Larger: the lines are counted here from their hashes (a minimal diff's counts, which
            // git's match unless its heuristics cut a costly diff short); libgit2's own diff would
            // hold both files and its index of them. Each blob is read once: the hashes, and
            // whether it starts binary.
            var (before, oldBinary) = LineHashes(change.OldOid);
            var (after, newBinary) = oldBinary ? ([], true) : LineHashes(change.Oid);
            binary = oldBinary || newBinary;
            counts = binary ? (0, 0) : CountChangedLines(before, after) ?? LibGit2Counts(oldTree, newTree, change.Path);
        }

        return new FileChange(
            change.Path,
            null,
            kind,
            counts.Added,
            counts.Removed,
            [],
            Binary: binary,
            Patch: null,
            PatchTruncated: !binary,
            Note: $"large file ({size} bytes, git blob {change.Oid.Sha}): line counts only, its patch and changed lines are not kept");
    }

    /// <summary>
    /// Whether the attributes that apply to the path make libgit2 (and git) diff it as binary:
    /// <c>-diff</c> (the <c>binary</c> macro sets it), or a diff driver configured with
    /// <c>diff.NAME.binary</c>. The usual reading learns it from libgit2's patch; a large file is
    /// read without one, and before this was asked, a text file marked binary was recorded as text
    /// with no changed lines (libgit2's counts for it) or with every line (streamed).
    /// </summary>
    private unsafe bool BinaryByAttributes(string path)
    {
        if (Libgit2.Api is not { } api)
        {
            return false;
        }

        var repo = Libgit2.RepositoryPointer(_repo);
        if (repo == IntPtr.Zero)
        {
            return false;
        }

        const int Unset = 2, Text = 3;
        byte* value;
        var utf8 = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = utf8, name = "diff\0"u8)
        {
            // Flags 0: the working tree's attributes files, then the index's, as libgit2's diff reads them.
            if (api.AttrGet(&value, repo, 0, p, name) != 0)
            {
                return false;
            }
        }

        return api.AttrValue(value) switch
        {
            Unset => true,
            Text => _repo.Config.Get<bool>($"diff.{Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(value))}.binary")?.Value == true,
            _ => false,
        };
    }

    private (int Added, int Removed) LibGit2Counts(Tree? oldTree, Tree newTree, string path)
    {
        var stats = _repo.Diff.Compare<PatchStats>(oldTree, newTree, [path], ExactPaths, WithoutRenames)[path];
        return (stats?.LinesAdded ?? 0, stats?.LinesDeleted ?? 0);
    }

    private bool StartsBinary(ObjectId id)
    {
        using var content = BlobContent(id);
        var head = new byte[BinaryCheckBytes];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head.AsSpan(0, read).Contains((byte)0);
    }

    /// <summary>
    /// An added or deleted file as libgit2 gives it (header, one hunk of every line), read line by
    /// line: the counts and the range from every line, the text only up to the patch limit.
    /// </summary>
    private FileChange Streamed(string path, bool added, Mode mode, ObjectId id, long budget)
    {
        var kind = added ? FileChangeKind.Added : FileChangeKind.Deleted;
        using var content = BlobContent(id);
        var head = new byte[BinaryCheckBytes];
        var headLength = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (head.AsSpan(0, headLength).Contains((byte)0))
        {
            return new FileChange(path, null, kind, 0, 0, [], Binary: true, Patch: null);
        }

        var text = new StringBuilder(MaxPatchChars + RedactionMargin + 4096);
        var sign = added ? '+' : '-';
        var lines = 0;
        bool nul = false, undecodable = false;
        var keep = budget <= 0 ? 0 : MaxPatchChars + RedactionMargin;
        var line = new MemoryStream();
        void EndLine(bool newline)
        {
            var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
            nul |= bytes.Contains((byte)0);
            undecodable |= !System.Text.Unicode.Utf8.IsValid(bytes);
            if (text.Length < keep)
            {
                text.Append(sign).Append(Encoding.UTF8.GetString(bytes));
                text.Append(newline ? "\n" : "\n\\ No newline at end of file\n");
            }

            lines++;
            line.SetLength(0);
        }

        var buffer = new byte[64 * 1024];
        head.AsSpan(0, headLength).CopyTo(buffer);
        var count = headLength;
        do
        {
            var chunk = buffer.AsSpan(0, count);
            while (!chunk.IsEmpty)
            {
                var newline = chunk.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    line.Write(chunk);
                    break;
                }

                line.Write(chunk[..newline]);
                EndLine(newline: true);
                chunk = chunk[(newline + 1)..];
            }

            count = content.Read(buffer, 0, buffer.Length);
        }
        while (count > 0);

        if (line.Length > 0)
        {
            EndLine(newline: false);
        }

        var abbreviated = id.Sha[..7];
        var fileMode = ModeText(mode);
        var span = lines == 1 ? "1" : $"1,{lines.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var header = added
            ? $"diff --git a/{path} b/{path}\nnew file mode {fileMode}\nindex 0000000..{abbreviated}\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +{span} @@\n"
            : $"diff --git a/{path} b/{path}\ndeleted file mode {fileMode}\nindex {abbreviated}..0000000\n--- a/{path}\n+++ /dev/null\n@@ -{span} +0,0 @@\n";
        if (lines == 0)
        {
            header = header[..header.IndexOf("@@", StringComparison.Ordinal)];
        }

        IReadOnlyList<LineRange> ranges = added && lines > 0 ? [new LineRange(1, lines)] : [];
        if (nul)
        {
            // NUL past the first 8,000 bytes: diffed as text by libgit2, kept as binary here as there.
            return new FileChange(path, null, kind, added ? lines : 0, added ? 0 : lines, ranges, Binary: true, Patch: null, Note: BinaryNote(id));
        }

        if (budget <= 0)
        {
            // The commit's patch budget is spent: counts and ranges stay, the text goes.
            return new FileChange(path, null, kind, added ? lines : 0, added ? 0 : lines, ranges, Binary: false, Patch: null, PatchTruncated: true);
        }

        var note = undecodable ? $"not UTF-8: undecodable bytes shown as U+FFFD; git blob {id.Sha} holds them" : null;
        var complete = text.Length < keep;
        var patch = _redactor.Redact(header + text);
        var limit = (int)Math.Min(MaxPatchChars, budget);
        var truncated = !complete || patch.Length > limit;
        if (truncated)
        {
            patch = patch[..Math.Min(limit, patch.Length)] + TruncationMarker;
        }

        return new FileChange(path, null, kind, added ? lines : 0, added ? 0 : lines, ranges, Binary: false, Patch: patch, PatchTruncated: truncated, Note: note);
    }
}
