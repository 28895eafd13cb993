using Ledger.Core.Events;
using Ledger.Core.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

/// <summary>
/// Reads commits of a configuration repository as <see cref="ConfigEdited"/> facts. Merges are
/// diffed against their first parent, root commits against the empty tree, and renames are
/// detected the way <c>git diff -M</c> does by default. Patches and messages are redacted here,
/// before anything leaves the collector.
/// </summary>
public sealed class GitHistoryReader : IDisposable
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
    public GitHistoryReader OpenAnother() => Open(_repo.Info.WorkingDirectory ?? _repo.Info.Path, _redactor);

    /// <summary>Every commit reachable from HEAD, oldest first (parents before children). Empty when HEAD is unborn.</summary>
    public IEnumerable<Commit> CommitsFromHead()
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
        return _repo.Commits.QueryBy(filter);
    }

    /// <summary>Resolves a revision (sha, branch, HEAD~2, ...) to a commit.</summary>
    public Commit Resolve(string revision)
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

    public ConfigEdited Read(Commit commit, string host, string actor, string? purpose = null, string? notes = null)
    {
        var parent = commit.Parents.FirstOrDefault();
        Patch patch;
        try
        {
            patch = _repo.Diff.Compare<Patch>(parent?.Tree, commit.Tree, Compare);
        }
        catch (LibGit2SharpException e)
        {
            throw new CaptureException(
                $"Commit {commit.Sha} of {RepoKey} cannot be read: {e.Message}. The repository is damaged (an object is missing or corrupt); " +
                $"'git -C {RepoKey} fsck' names what is wrong. Commits before it that were read are recorded; run the command again once it is repaired.",
                inner: e);
        }

        var files = new List<FileChange>();
        int added = 0, removed = 0;
        long budget = MaxCommitPatchChars;
        foreach (var entry in patch)
        {
            var file = ToFileChange(entry, budget);
            budget -= file.Patch?.Length ?? 0;
            files.Add(file);
            added += entry.LinesAdded;
            removed += entry.LinesDeleted;
        }

        var message = _redactor.Redact(commit.Message ?? "");
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
            Purpose: string.IsNullOrWhiteSpace(purpose) ? FirstLine(message) : purpose.Trim(),
            Files: files,
            LinesAdded: added,
            LinesRemoved: removed,
            Notes: string.IsNullOrWhiteSpace(notes) ? null : notes.Trim());
    }

    public void Dispose() => _repo.Dispose();

    private FileChange ToFileChange(PatchEntryChanges entry, long budget)
    {
        var kind = entry.Status switch
        {
            ChangeKind.Added => FileChangeKind.Added,
            ChangeKind.Deleted => FileChangeKind.Deleted,
            ChangeKind.Renamed => FileChangeKind.Renamed,
            ChangeKind.Copied => FileChangeKind.Copied,
            ChangeKind.TypeChanged => FileChangeKind.TypeChanged,
            _ => FileChangeKind.Modified,
        };
        var oldPath = kind is FileChangeKind.Renamed or FileChangeKind.Copied ? entry.OldPath : null;
        if (entry.IsBinaryComparison)
        {
            return new FileChange(entry.Path, oldPath, kind, 0, 0, [], Binary: true, Patch: null);
        }

        var text = entry.Patch ?? "";
        var ranges = PatchRanges.AddedRanges(text);
        if (budget <= 0)
        {
            // The commit's patch budget is spent: counts and ranges stay, the text goes.
            return new FileChange(entry.Path, oldPath, kind, entry.LinesAdded, entry.LinesDeleted, ranges, Binary: false, Patch: null, PatchTruncated: true);
        }

        var limit = (int)Math.Min(MaxPatchChars, budget);
        bool truncated = text.Length > limit;
        if (truncated)
        {
            text = text[..limit] + TruncationMarker;
        }

        return new FileChange(entry.Path, oldPath, kind, entry.LinesAdded, entry.LinesDeleted, ranges, Binary: false, Patch: _redactor.Redact(text), PatchTruncated: truncated);
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "(no commit message)" : line;
    }
}
