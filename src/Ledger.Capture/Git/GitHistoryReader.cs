using Ledger.Core.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// Reads commits of a configuration repository as <see cref="ConfigEdited"/> facts. Merges are
/// diffed against their first parent, root commits against the empty tree, and renames are
/// detected the way <c>git diff -M</c> does by default. Patches and messages are redacted here,
/// before anything leaves the collector.
/// </summary>
public sealed partial class GitHistoryReader : IDisposable
{
    /// <summary>Patches longer than this per file are cut, with a marker, to keep events bounded.</summary>
    public const int MaxPatchChars = 256 * 1024;

    public const string TruncationMarker = "\n[... patch truncated by Ledger ...]\n";

    /// <summary>
    /// All patches of one commit together stop here: a commit adding 100k files keeps every file
    /// with its counts and ranges, but only the first patches' text.
    /// </summary>
    public const int MaxCommitPatchChars = 4 * 1024 * 1024;

    private static readonly CompareOptions Compare = new()
    {
        Similarity = SimilarityOptions.Renames,
        ContextLines = 3,
        IncludeUnmodified = false,
    };

    private static readonly CompareOptions WithoutRenames = new()
    {
        Similarity = SimilarityOptions.None,
        ContextLines = 3,
        IncludeUnmodified = false,
    };

    private readonly Repository _repo;
    private readonly Redactor _redactor;

    private GitHistoryReader(Repository repo, string key, Redactor redactor)
    {
        _repo = repo;
        _redactor = redactor;
        RepoKey = key;
    }

    /// <summary>The repository's identity in events: its absolute working directory (or git directory when bare).</summary>
    public string RepoKey { get; }

    /// <summary>The checked-out branch, or "(detached)".</summary>
    public string Branch => _repo.Info.IsHeadDetached ? "(detached)" : _repo.Head.FriendlyName;

    public string GitDirectory => _repo.Info.Path;

    /// <summary>HEAD's sha, or null before the first commit.</summary>
    public string? Head => _repo.Head.Tip?.Sha;

    public static GitHistoryReader Open(string path, Redactor? redactor = null)
    {
        RepositoryAccess.AllowReadingAnyOwner();
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new CaptureException($"{full} does not exist. Pass --repo the path of your NixOS configuration repository (e.g. /etc/nixos).");
        }

        if (!Repository.IsValid(full))
        {
            throw new CaptureException(
                $"{full} is not a git repository. Pass --repo the top folder of the repository (the one holding .git), " +
                $"or make it one first: git -C {full} init && git -C {full} add -A && git -C {full} commit -m 'Initial configuration'.");
        }

        Repository repo;
        try
        {
            repo = new Repository(full);
        }
        catch (LibGit2SharpException e)
        {
            throw new CaptureException($"{full} could not be opened as a git repository: {e.Message}", inner: e);
        }

        var key = repo.Info.WorkingDirectory ?? repo.Info.Path;
        key = Path.TrimEndingDirectorySeparator(Path.GetFullPath(key));
        return new GitHistoryReader(repo, key, redactor ?? Redactor.Default);
    }

    /// <summary>
    /// Another handle on the same repository, with the same redaction: a LibGit2Sharp repository
    /// is not thread-safe, so each thread that reads commits opens its own.
    /// </summary>
    public GitHistoryReader OpenAnother()
    {
        var another = Open(_repo.Info.WorkingDirectory ?? _repo.Info.Path, _redactor);
        another.LargeFileBytes = LargeFileBytes;
        another.DirectDiff = DirectDiff;
        return another;
    }

    /// <summary>The sha of every commit reachable from HEAD, oldest first (parents before children). Empty when HEAD is unborn.</summary>
    /// <exception cref="CaptureException">A commit object is missing or corrupt, so the history cannot be walked (exit 2).</exception>
    public IReadOnlyList<string> CommitsFromHead()
    {
        if (_repo.Head.Tip is null)
        {
            return [];
        }

        var filter = new CommitFilter
        {
            IncludeReachableFrom = _repo.Head,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time | CommitSortStrategies.Reverse,
        };
        try
        {
            return _repo.Commits.QueryBy(filter).Select(c => c.Sha).ToList();
        }
        catch (LibGit2SharpException e)
        {
            // Oldest first needs the whole walk before the first commit, so nothing is recorded.
            throw new CaptureException(
                $"The history of {RepoKey} cannot be walked: {e.Message}. A commit object is missing or corrupt; " +
                $"'git -C {RepoKey} fsck' names it (a shallow or partial clone can be completed with 'git fetch --unshallow' or 'git fetch --refetch'). Nothing was recorded.",
                inner: e);
        }
    }

    /// <summary>Resolves a revision (sha, branch, HEAD~2, ...) to the full sha of a commit.</summary>
    public string Resolve(string revision) => Lookup(revision).Sha;

    /// <summary>The commit <paramref name="revision"/> names, as the event that records it (no LibGit2Sharp type leaves Capture).</summary>
    public ConfigEdited Read(string revision, string host, string actor, string? purpose = null, string? notes = null) =>
        Read(Lookup(revision), host, actor, purpose, notes);

    private Commit Lookup(string revision)
    {
        GitObject? obj;
        try
        {
            obj = _repo.Lookup(revision);
        }
        catch (LibGit2SharpException)
        {
            obj = null;
        }

        return obj?.Peel<Commit>() ?? throw new CaptureException(
            $"'{revision}' does not name a commit in {RepoKey}. Use a commit hash, a branch name or HEAD.");
    }

    private ConfigEdited Read(Commit commit, string host, string actor, string? purpose = null, string? notes = null)
    {
        var (files, added, removed, incomplete) = ReadChanges(commit);
        var (inputs, lockProblem) = FlakeInputsOf(commit, files);
        var (hosts, shared) = HostsOf(commit, files);
        var (text, encoding) = MessageOf(commit);
        var message = _redactor.Redact(text);
        return new ConfigEdited(
            Host: host,
            Actor: actor,
            Repo: RepoKey,
            Sha: commit.Sha,
            Parents: commit.Parents.Select(p => p.Sha).ToArray(),
            Author: commit.Author.Name,
            AuthorEmail: commit.Author.Email,
            CommittedAt: commit.Committer.When,
            Message: message,
            Purpose: string.IsNullOrWhiteSpace(purpose) ? FirstLine(message) : _redactor.Redact(purpose.Trim()),
            Files: files,
            LinesAdded: added,
            LinesRemoved: removed,
            Notes: string.IsNullOrWhiteSpace(notes) ? null : _redactor.Redact(notes.Trim()),
            Incomplete: incomplete,
            MessageEncoding: encoding,
            FlakeInputs: inputs,
            FlakeLockProblem: lockProblem,
            Hosts: hosts,
            Shared: shared);
    }

    /// <summary>
    /// The message as its author wrote it. LibGit2Sharp reads every message as UTF-8; one that is
    /// not (a U+FFFD appears) is read again as bytes and decoded with the encoding the commit
    /// declares, else as ISO-8859-1, which maps every byte to one character and so keeps the bytes
    /// recoverable. The encoding is returned when it is not UTF-8.
    /// </summary>
    private (string Text, string? Encoding) MessageOf(Commit commit)
    {
        var text = commit.Message ?? "";
        if (!text.Contains('\uFFFD', StringComparison.Ordinal) || RawCommit.Read(_repo, commit.Id) is not { } raw)
        {
            return (text, null);
        }

        var (decoded, bytes) = RawCommit.Message(raw);
        if (decoded is not null)
        {
            return (decoded, commit.Encoding ?? "declared");
        }

        try
        {
            return (new System.Text.UTF8Encoding(false, true).GetString(bytes), null);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return (System.Text.Encoding.Latin1.GetString(bytes), "ISO-8859-1 (assumed: not UTF-8 and no encoding declared)");
        }
    }

    public void Dispose()
    {
        CloseDirect();
        _repo.Dispose();
    }

    /// <summary>
    /// The commit's files against its first parent. A commit is recorded whatever its content: when
    /// libgit2 cannot produce the patch (a missing or corrupt blob, or LibGit2Sharp's duplicate-key
    /// bug on a symlink that became a file, libgit2sharp #1801), the files come from the trees alone
    /// and the reason is kept; when even the trees cannot be read, only the metadata is.
    /// </summary>
    private (List<FileChange> Files, int Added, int Removed, string? Incomplete) ReadChanges(Commit commit)
    {
        Tree? oldTree, newTree;
        try
        {
            oldTree = commit.Parents.FirstOrDefault()?.Tree;
            newTree = commit.Tree;
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            return ([], 0, 0, $"the commit's trees cannot be read ({Describe(e)}); only its metadata is recorded");
        }

        string firstFailure;
        try
        {
            return Diffed(oldTree, newTree, renames: true);
        }
        catch (ArgumentException e)
        {
            firstFailure = Describe(e);
            // libgit2sharp #1801: rename detection next to a type change gives one path twice.
            // The same diff without rename detection is complete, renames show as delete + add.
            try
            {
                return Diffed(oldTree, newTree, renames: false);
            }
            catch (Exception again) when (IsReadFailure(again))
            {
                firstFailure = Describe(again);
            }
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            firstFailure = Describe(e);
        }

        try
        {
            var changes = _repo.Diff.Compare<TreeChanges>(oldTree, newTree, WithoutRenames);
            var files = changes.Select(c => new FileChange(c.Path, null, KindOf(c.Status), 0, 0, [], Binary: false, Patch: null, Note: "content not read")).ToList();
            return (files, 0, 0, $"the diff cannot be computed ({firstFailure}); files are listed from the trees, without line counts or patches");
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            return ([], 0, 0, $"the diff cannot be computed ({firstFailure}) and the file list cannot be read ({Describe(e)}); only the commit's metadata is recorded");
        }
    }

    /// <summary>
    /// The commit's patch: straight from libgit2 when it can (<see cref="DirectPatch"/>), else
    /// through LibGit2Sharp, which also reads large files and raises the errors that are recorded.
    /// </summary>
    private (List<FileChange> Files, int Added, int Removed, string? Incomplete) Diffed(Tree? oldTree, Tree newTree, bool renames)
    {
        if (DirectPatch(oldTree, newTree, renames) is { } direct)
        {
            return FromPatch(direct);
        }

        var options = renames ? Compare : WithoutRenames;
        var changes = LargeChanges(oldTree, newTree);
        return changes.Large.Count == 0 ? FromPatch(Entries(_repo.Diff.Compare<Patch>(oldTree, newTree, options))) : WithLargeFiles(oldTree, newTree, changes, options);
    }

    /// <summary>One file of a commit's patch, however it was read.</summary>
    private readonly record struct PatchFile(string Path, string OldPath, ChangeKind Status, bool Binary, string Text, int LinesAdded, int LinesDeleted, ObjectId OldOid, ObjectId Oid)
    {
        /// <summary>The blob the content is in: the old one for a deletion, else the new one.</summary>
        public ObjectId ContentId => Status == ChangeKind.Deleted ? OldOid : Oid;
    }

    private static IEnumerable<PatchFile> Entries(Patch patch) =>
        patch.Select(e => new PatchFile(e.Path, e.OldPath, e.Status, e.IsBinaryComparison, e.Patch ?? "", e.LinesAdded, e.LinesDeleted, e.OldOid, e.Oid));

    private (List<FileChange> Files, int Added, int Removed, string? Incomplete) FromPatch(IEnumerable<PatchFile> patch)
    {
        var files = new List<FileChange>();
        int added = 0, removed = 0;
        long budget = MaxCommitPatchChars;
        foreach (var entry in patch)
        {
            var file = ToFileChange(entry, budget);
            budget -= file.Patch?.Length ?? 0;
            files.Add(file);
            added += file.LinesAdded;
            removed += file.LinesRemoved;
        }

        return (files, added, removed, null);
    }

    // Failures of reading one commit's content, which must not stop the others: libgit2's errors
    // and the argument errors LibGit2Sharp throws on some real histories.
    private static bool IsReadFailure(Exception e) => e is LibGit2SharpException or ArgumentException or InvalidOperationException;

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";

    private static FileChangeKind KindOf(ChangeKind status) => status switch
    {
        ChangeKind.Added => FileChangeKind.Added,
        ChangeKind.Deleted => FileChangeKind.Deleted,
        ChangeKind.Renamed => FileChangeKind.Renamed,
        ChangeKind.Copied => FileChangeKind.Copied,
        ChangeKind.TypeChanged => FileChangeKind.TypeChanged,
        _ => FileChangeKind.Modified,
    };

    private FileChange ToFileChange(PatchFile entry, long budget)
    {
        var kind = KindOf(entry.Status);
        var oldPath = kind is FileChangeKind.Renamed or FileChangeKind.Copied ? entry.OldPath : null;
        if (entry.Binary)
        {
            return new FileChange(entry.Path, oldPath, kind, 0, 0, [], Binary: true, Patch: null);
        }

        var text = entry.Text;
        int linesAdded = entry.LinesAdded, linesDeleted = entry.LinesDeleted;
        if (kind == FileChangeKind.TypeChanged && !text.Contains("\n@@ ", StringComparison.Ordinal) && TypeChangeContent(entry) is { } content)
        {
            // libgit2 gives a symlink that became a file (or back) only its mode lines; git shows
            // the old content going and the new coming, and so does Ledger.
            text += content.Patch;
            (linesAdded, linesDeleted) = (content.LinesAdded, content.LinesDeleted);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // git looks for NUL only in a file's first 8,000 bytes; a script with NUL further on
            // is diffed as text, which neither jsonb nor text columns can hold. It is kept as
            // binary: its size and hash name the exact content, which git still holds.
            return new FileChange(entry.Path, oldPath, kind, linesAdded, linesDeleted, PatchRanges.AddedRanges(text), Binary: true, Patch: null, Note: BinaryNote(entry.ContentId));
        }

        var ranges = PatchRanges.AddedRanges(text);
        if (budget <= 0)
        {
            // The commit's patch budget is spent: counts and ranges stay, the text goes.
            return new FileChange(entry.Path, oldPath, kind, linesAdded, linesDeleted, ranges, Binary: false, Patch: null, PatchTruncated: true);
        }

        // libgit2's patch text is UTF-8; bytes of another encoding arrive as U+FFFD. The blob
        // keeps them, so the note names it.
        var note = text.Contains('\uFFFD', StringComparison.Ordinal)
            ? $"not UTF-8: undecodable bytes shown as U+FFFD; git blob {entry.ContentId.Sha} holds them"
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

        return new FileChange(entry.Path, oldPath, kind, linesAdded, linesDeleted, ranges, Binary: false, Patch: text, PatchTruncated: truncated, Note: note);
    }

    private ContentChanges? TypeChangeContent(PatchFile entry)
    {
        var oldBlob = _repo.Lookup<Blob>(entry.OldOid);
        var newBlob = _repo.Lookup<Blob>(entry.Oid);
        if (oldBlob is null || newBlob is null)
        {
            return null;
        }

        var content = _repo.Diff.Compare(oldBlob, newBlob, Compare);
        return content.IsBinaryComparison ? null : content;
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

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "(no commit message)" : line;
    }
}
