using Ledger.Core.Nix;
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

    /// <summary>The path this reader was opened with, which <see cref="OpenAnother"/> opens again.</summary>
    private readonly string _openedAt;

    private GitHistoryReader(Repository repo, string key, Redactor redactor, string openedAt)
    {
        _repo = repo;
        _redactor = redactor;
        RepoKey = key;
        _openedAt = openedAt;
    }

    /// <summary>The repository's identity in events: its absolute working directory (or its git directory when bare, or when it has no config file: a copied snapshot).</summary>
    public string RepoKey { get; }

    /// <summary>The checked-out branch, or "(detached)".</summary>
    public string Branch => _repo.Info.IsHeadDetached ? "(detached)" : _repo.Head.FriendlyName;

    public string GitDirectory => _repo.Info.Path;

    /// <summary>HEAD's sha, or null before the first commit.</summary>
    public string? Head => _repo.Head.Tip?.Sha;

    public static GitHistoryReader Open(string path, Redactor? redactor = null)
    {
        RepositoryAccess.AllowReadingAnyOwner();
        RepositoryAccess.ReadAsGitDoes();
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

        var key = repo.Info.WorkingDirectory is { } work && HasConfig(repo.Info.Path) ? work : repo.Info.Path;
        key = Path.TrimEndingDirectorySeparator(Path.GetFullPath(key));
        return new GitHistoryReader(repo, key, redactor ?? Redactor.Default, full);
    }

    /// <summary>
    /// Whether a git directory has its config file (a linked worktree's is in the common
    /// directory it names). One without (a copied snapshot of objects and refs) has no core.bare,
    /// so libgit2 takes the folder above it for its working tree: that folder is not the
    /// repository's, and two such snapshots side by side would share it as their identity, so
    /// the git directory itself is the key.
    /// </summary>
    private static bool HasConfig(string gitDirectory)
    {
        var common = Path.Combine(gitDirectory, "commondir");
        var directory = File.Exists(common) ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(common).Trim())) : gitDirectory;
        return File.Exists(Path.Combine(directory, "config"));
    }

    /// <summary>
    /// Another handle on the same repository, with the same redaction: a LibGit2Sharp repository
    /// is not thread-safe, so each thread that reads commits opens its own. It opens the path this
    /// one was opened with: a git directory without a config file (a copied snapshot) has no
    /// core.bare, so libgit2 takes its parent for the working tree, which is no repository.
    /// </summary>
    public GitHistoryReader OpenAnother()
    {
        var another = Open(_openedAt, _redactor);
        another.LargeFileBytes = LargeFileBytes;
        another.CountedByLibgit2Bytes = CountedByLibgit2Bytes;
        another.DirectDiff = DirectDiff;
        another._attributes = _attributes;
        another.ReadsManyCommits = ReadsManyCommits;
        return another;
    }

    /// <summary>Resolves a revision (sha, branch, HEAD~2, ...) to the full sha of a commit.</summary>
    public string Resolve(string revision) => Lookup(revision).Sha;

    /// <summary>The commit <paramref name="revision"/> names, as the event that records it (no LibGit2Sharp type leaves Capture).</summary>
    public ConfigEdited Read(string revision, string host, string actor, string? purpose = null, string? notes = null) =>
        ReadPending(revision, host, actor, purpose, notes).Finish();

    /// <summary>
    /// The commit <paramref name="revision"/> names, read from the repository but not yet redacted:
    /// <see cref="PendingEdit.Finish"/> redacts it into the event <see cref="Read"/> gives, on any
    /// thread (an import reads commits on one thread and finishes them on others).
    /// </summary>
    public PendingEdit ReadPending(string revision, string host, string actor, string? purpose = null, string? notes = null) =>
        ReadPendingDirect(revision, host, actor, purpose, notes) ?? ReadPending(Lookup(revision), host, actor, purpose, notes);

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

    private PendingEdit ReadPending(Commit commit, string host, string actor, string? purpose, string? notes)
    {
        var (pending, added, removed, incomplete) = ReadChanges(commit);
        var files = pending.Select(p => p.File).ToList();
        var (inputs, lockProblem) = FlakeInputsOf(commit, files);
        var (hosts, shared) = HostsOf(commit, files);
        var message = MessageOf(commit);
        var edit = Edit(host, actor, commit.Sha, commit.Parents.Select(p => p.Sha).ToArray(), commit.Author.Name, commit.Author.Email, commit.Committer.When, message, purpose, notes, files, added, removed, incomplete, inputs, lockProblem, hosts, shared);
        return new PendingEdit(edit, pending, this);
    }

    private ConfigEdited Edit(string host, string actor, string sha, string[] parents, string author, string authorEmail, DateTimeOffset committedAt, (string Text, string? Encoding) message, string? purpose, string? notes, List<FileChange> files, int added, int removed, string? incomplete, IReadOnlyList<FlakeInputChange>? inputs, string? lockProblem, IReadOnlyList<string>? hosts, bool? shared) =>
        new(
            Host: host,
            Actor: actor,
            Repo: RepoKey,
            Sha: sha,
            Parents: parents,
            Author: author,
            AuthorEmail: authorEmail,
            CommittedAt: committedAt,
            Message: message.Text,
            Purpose: purpose ?? "",
            Files: files,
            LinesAdded: added,
            LinesRemoved: removed,
            Notes: notes,
            Incomplete: incomplete,
            MessageEncoding: message.Encoding,
            FlakeInputs: inputs,
            FlakeLockProblem: lockProblem,
            Hosts: hosts,
            Shared: shared);

    /// <summary>
    /// A commit read from the repository, its texts not yet redacted: the patches, the message, and
    /// the purpose and notes given with it. <see cref="Finish"/> needs no repository, so it runs on
    /// any thread, once; nothing of the unredacted texts leaves this object.
    /// </summary>
    public sealed class PendingEdit
    {
        private readonly ConfigEdited _read;
        private readonly List<PendingFile> _files;
        private readonly GitHistoryReader _reader;

        internal PendingEdit(ConfigEdited read, List<PendingFile> files, GitHistoryReader reader)
        {
            _read = read;
            _files = files;
            _reader = reader;
        }

        /// <summary>The commit's sha.</summary>
        public string Sha => _read.Sha;

        /// <summary>The event, every text redacted (the patches before they are cut at the limits).</summary>
        public ConfigEdited Finish()
        {
            var redactor = _reader._redactor;
            var message = redactor.Redact(_read.Message);
            return _read with
            {
                Message = message,
                Purpose = string.IsNullOrWhiteSpace(_read.Purpose) ? FirstLine(message) : redactor.Redact(_read.Purpose.Trim()),
                Notes = string.IsNullOrWhiteSpace(_read.Notes) ? null : redactor.Redact(_read.Notes.Trim()),
                Files = _reader.FinishFiles(_files),
            };
        }
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
        // A walk started ahead (CommitsFromHeadAsync) and not awaited, because the command ended
        // first (an error, a hand-over), still uses the handle: it ends before the handle is freed.
        if (_walk is { IsCompleted: false } walk)
        {
            ((IAsyncResult)walk).AsyncWaitHandle.WaitOne();
        }

        CloseDirect();
        _repo.Dispose();
    }

    /// <summary>
    /// The commit's files against its first parent. A commit is recorded whatever its content: when
    /// libgit2 cannot produce the patch (a missing or corrupt blob, or LibGit2Sharp's duplicate-key
    /// bug on a symlink that became a file, libgit2sharp #1801), the files come from the trees alone
    /// and the reason is kept; when even the trees cannot be read, only the metadata is.
    /// </summary>
    private (List<PendingFile> Files, int Added, int Removed, string? Incomplete) ReadChanges(Commit commit)
    {
        Tree? oldTree, newTree;
        try
        {
            oldTree = commit.Parents.FirstOrDefault() is { } parent ? TreeOf(parent) : null;
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
            var files = changes.Select(c => PendingFile.Done(new FileChange(c.Path, null, KindOf(c.Status), 0, 0, [], Binary: false, Patch: null, Note: "content not read"))).ToList();
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
    private (List<PendingFile> Files, int Added, int Removed, string? Incomplete) Diffed(Tree? oldTree, Tree newTree, bool renames)
    {
        if (DirectPatch(oldTree?.Id, newTree.Id, renames) is { } direct)
        {
            return FromPatch(direct);
        }

        var options = renames ? Compare : WithoutRenames;
        var changes = LargeChanges(oldTree, newTree);
        if (changes.Large.Count == 0)
        {
            RequireLineCallbacks();
        }

        return changes.Large.Count == 0 ? FromPatch(Entries(_repo.Diff.Compare<Patch>(oldTree, newTree, options))) : WithLargeFiles(oldTree, newTree, changes, renames);
    }

    /// <summary>
    /// A parent's tree. A parent lost from a damaged repository raises libgit2's not-found error
    /// here, a read failure like any other: LibGit2Sharp itself fails on it with a null reference,
    /// which stopped the hook with a stack trace.
    /// </summary>
    private Tree TreeOf(Commit parent) =>
        _repo.ObjectDatabase.Contains(parent.Id) ? parent.Tree : throw new NotFoundException($"object not found - no match for id ({parent.Sha})");

    // Failures of reading one commit's content, which must not stop the others: libgit2's errors
    // and the argument errors LibGit2Sharp throws on some real histories.
    private static bool IsReadFailure(Exception e) => e is LibGit2SharpException or ArgumentException or InvalidOperationException;

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        var line = message.AsSpan(0, end < 0 ? message.Length : end).Trim();
        return line.IsEmpty ? "(no commit message)" : line.ToString();
    }
}
