using System.Runtime.CompilerServices;
using Ledger.Core.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// From a commit's patch, however it was read (straight from libgit2 or through LibGit2Sharp), to
// the files of its event: counts, added ranges, the redacted patch within the limits, and notes
// for what is not kept (binary content, text that is not UTF-8).
public sealed partial class GitHistoryReader
{
    /// <summary>One file of a commit's patch, however it was read.</summary>
    private readonly record struct PatchFile(string Path, string OldPath, ChangeKind Status, bool Binary, string Text, int LinesAdded, int LinesDeleted, ObjectId OldOid, ObjectId Oid)
    {
        /// <summary>The blob the content is in: the old one for a deletion, else the new one.</summary>
        public ObjectId ContentId => Status == ChangeKind.Deleted ? OldOid : Oid;
    }

    private static IEnumerable<PatchFile> Entries(Patch patch) =>
        patch.Select(e => new PatchFile(e.Path, e.OldPath, e.Status, e.IsBinaryComparison, e.Patch ?? "", e.LinesAdded, e.LinesDeleted, e.OldOid, e.Oid));

    /// <summary>
    /// One file of a commit as read from the repository: <see cref="File"/> without its patch, and
    /// the patch's text when it has one to keep, not yet redacted (<see cref="FinishFiles"/> does
    /// that, on any thread: it needs no repository). <see cref="File"/> alone is final when
    /// <see cref="Text"/> is null.
    /// </summary>
    internal sealed record PendingFile(FileChange File, string? Text, ObjectId? ContentId = null)
    {
        public static PendingFile Done(FileChange file) => new(file, null);
    }

    private (List<PendingFile> Files, int Added, int Removed, string? Incomplete) FromPatch(IEnumerable<PatchFile> patch)
    {
        var files = new List<PendingFile>();
        int added = 0, removed = 0;
        foreach (var entry in patch)
        {
            var file = ToPendingFile(entry);
            files.Add(file);
            added += file.File.LinesAdded;
            removed += file.File.LinesRemoved;
        }

        return (files, added, removed, null);
    }

    /// <summary>
    /// The files with their patches redacted and cut: each patch within <see cref="MaxPatchChars"/>,
    /// all of them together within <see cref="MaxCommitPatchChars"/> (counts and ranges stay when the
    /// text goes).
    /// </summary>
    private List<FileChange> FinishFiles(List<PendingFile> files)
    {
        var done = new List<FileChange>(files.Count);
        long budget = MaxCommitPatchChars;
        foreach (var pending in files)
        {
            var file = pending.Text is null ? pending.File : WithPatch(pending, budget);
            budget -= file.Patch?.Length ?? 0;
            done.Add(file);
        }

        return done;
    }

    private static FileChangeKind KindOf(ChangeKind status) => status switch
    {
        ChangeKind.Added => FileChangeKind.Added,
        ChangeKind.Deleted => FileChangeKind.Deleted,
        ChangeKind.Renamed => FileChangeKind.Renamed,
        ChangeKind.Copied => FileChangeKind.Copied,
        ChangeKind.TypeChanged => FileChangeKind.TypeChanged,
        _ => FileChangeKind.Modified,
    };

    /// <summary>What the repository says of one file: everything but the redacted patch (<see cref="WithPatch"/>).</summary>
    private PendingFile ToPendingFile(PatchFile entry)
    {
        var kind = KindOf(entry.Status);
        var oldPath = kind is FileChangeKind.Renamed or FileChangeKind.Copied ? entry.OldPath : null;
        if (entry.Binary)
        {
            return PendingFile.Done(new FileChange(entry.Path, oldPath, kind, 0, 0, [], Binary: true, Patch: null));
        }

        var text = entry.Text;
        int linesAdded = entry.LinesAdded, linesDeleted = entry.LinesDeleted;
        if (kind == FileChangeKind.TypeChanged && !text.Contains("\n@@ ", StringComparison.Ordinal) && TypeChangeContent(entry) is { } content)
        {
            // libgit2 gives a symlink that became a file (or back) only its mode lines; git shows
            // the old content going and the new coming, and so does Ledger.
            text += content.Patch;
            (linesAdded, linesDeleted) = (content.Added, content.Deleted);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // git looks for NUL only in a file's first 8,000 bytes; a script with NUL further on
            // is diffed as text, which neither jsonb nor text columns can hold. It is kept as
            // binary: its size and hash name the exact content, which git still holds.
            return PendingFile.Done(new FileChange(entry.Path, oldPath, kind, linesAdded, linesDeleted, PatchRanges.AddedRanges(text), Binary: true, Patch: null, Note: BinaryNote(entry.ContentId)));
        }

        var file = new FileChange(entry.Path, oldPath, kind, linesAdded, linesDeleted, PatchRanges.AddedRanges(text), Binary: false, Patch: null);
        return new PendingFile(file, text, entry.ContentId);
    }

    /// <summary>The file with its patch redacted and cut at the limits, or without it once the commit's patch budget is spent.</summary>
    private FileChange WithPatch(PendingFile pending, long budget)
    {
        if (budget <= 0)
        {
            // The commit's patch budget is spent: counts and ranges stay, the text goes.
            return pending.File with { PatchTruncated = true };
        }

        // libgit2's patch text is UTF-8; bytes of another encoding arrive as U+FFFD. The blob
        // keeps them, so the note names it.
        var text = pending.Text!;
        var note = text.Contains('\uFFFD', StringComparison.Ordinal)
            ? $"not UTF-8: undecodable bytes shown as U+FFFD; git blob {pending.ContentId!.Sha} holds them"
            : null;

        // Redacted whole, then cut: a key that straddles the limit is still found (its END line
        // would be cut off otherwise).
        text = _redactor.Redact(text);
        var limit = (int)Math.Min(MaxPatchChars, budget);
        bool truncated = text.Length > limit;
        if (truncated)
        {
            text = text[..limit] + TruncationMarker;
        }

        return pending.File with { Patch = text, PatchTruncated = truncated, Note = note };
    }

    /// <summary>
    /// Called before each LibGit2Sharp comparison that calls back into .NET for every line (a
    /// patch, two blobs). Compiled ahead of time (the <c>ledger-hook</c> executable) those
    /// callbacks crash the process, so there the comparison is refused with
    /// <see cref="LineCallbacksUnavailableException"/> and the hook hands the commit to the full
    /// ledger. Everything else is read the same way in both.
    /// </summary>
    private static void RequireLineCallbacks()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new LineCallbacksUnavailableException();
        }
    }

    /// <summary>
    /// The hunks of a type change's content (old blob against new), as LibGit2Sharp's blob
    /// comparison gives them: each hunk's header, then its lines with their origin; null when
    /// either side is not a blob or the comparison is binary.
    /// </summary>
    private (string Patch, int Added, int Deleted)? TypeChangeContent(PatchFile entry)
    {
        if (DirectBlobPatch(entry.OldOid, entry.Oid) is { } direct)
        {
            return direct.Binary ? null : (direct.Text, direct.Added, direct.Deleted);
        }

        var oldBlob = _repo.Lookup<Blob>(entry.OldOid);
        var newBlob = _repo.Lookup<Blob>(entry.Oid);
        if (oldBlob is null || newBlob is null)
        {
            return null;
        }

        RequireLineCallbacks();
        var content = _repo.Diff.Compare(oldBlob, newBlob, Compare);
        return content.IsBinaryComparison ? null : (content.Patch, content.LinesAdded, content.LinesDeleted);
    }

    private string BinaryNote(ObjectId id)
    {
        var blob = _repo.Lookup<Blob>(id);
        if (blob is null)
        {
            return $"text with NUL bytes, kept as binary (blob {id.Sha})";
        }

        using var content = blob.GetContentStream();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        return $"text with NUL bytes, kept as binary: {blob.Size} bytes, sha256 {sha256} (git blob {id.Sha})";
    }
}

/// <summary>
/// A commit needs LibGit2Sharp's per-line callbacks (a large file next to others, a path given
/// twice, a type change without hunks, a libgit2 error), which a process compiled ahead of time
/// cannot take: the caller reads it with the full ledger instead. Not a read failure: nothing
/// about the commit is recorded from this process.
/// </summary>
public sealed class LineCallbacksUnavailableException : NotSupportedException
{
    public LineCallbacksUnavailableException()
        : base("this commit needs LibGit2Sharp's patch callbacks, which a process compiled ahead of time cannot take")
    {
    }
}
