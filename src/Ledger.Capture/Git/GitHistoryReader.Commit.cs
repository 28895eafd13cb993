using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using LibGit2Sharp;

namespace Ledger.Capture.Git;

// A commit read straight from libgit2: its ids, author, date and message with one lookup of the
// commit and one of its first parent. Through LibGit2Sharp the same facts took a revision parse, a
// peel and some eight lazily evaluated groups per commit, each looking the object up again behind
// a finalizable handle: 8% of srvos' import, and half the collector's slow-path allocations.
public sealed partial class GitHistoryReader
{
    /// <summary>
    /// Thrown inside <see cref="ReadPendingDirect"/> when the commit is not the plain case (an
    /// object that cannot be read, a blob that is not where the tree says): the commit is then read
    /// again through LibGit2Sharp, which records what went wrong as it always has.
    /// </summary>
    private sealed class NotPlainException : Exception
    {
    }

    /// <summary>
    /// A tree on one side of a commit: by id (read straight from libgit2, <see cref="Direct"/>), or
    /// LibGit2Sharp's object, made only when a way that needs it is taken (so that a tree that cannot
    /// be read fails where it always failed).
    /// </summary>
    private sealed class TreeRef
    {
        private readonly ObjectId? _id;
        private readonly Func<Tree>? _load;
        private Tree? _tree;

        public TreeRef(ObjectId id) => _id = id;

        public TreeRef(Func<Tree> load) => _load = load;

        /// <summary>Read straight from libgit2: <see cref="Tree"/> is not to be asked for.</summary>
        public bool Direct => _load is null;

        public ObjectId Id => _id ?? Tree.Id;

        public Tree Tree => _tree ??= _load is { } load ? load() : throw new NotPlainException();
    }

    private sealed record DirectCommit(ObjectId Id, string Sha, ObjectId Tree, ObjectId? FirstParent, ObjectId? FirstParentTree, string[] Parents, string Author, string AuthorEmail, DateTimeOffset CommittedAt, string Message);

    /// <summary>How many commits were read straight from libgit2 (tests check that the way they compare was taken).</summary>
    internal int DirectCommitReads { get; private set; }

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private static bool IsFullSha(string revision) => revision.Length == 40 && !revision.AsSpan().ContainsAnyExcept(LowerHex);

    /// <summary>
    /// The commit a full sha names, as <see cref="ReadPending(Commit, string, string, string?, string?)"/>
    /// reads it, straight from libgit2; null whenever it is not the plain case, and the caller reads
    /// it through LibGit2Sharp. Tests compare both ways (<see cref="DirectDiff"/> off).
    /// </summary>
    private PendingEdit? ReadPendingDirect(string sha, string host, string actor, string? purpose, string? notes)
    {
        if (!IsFullSha(sha) || Direct() is not { } api)
        {
            return null;
        }

        var (reads, blobReads) = (DirectReads, DirectBlobReads);
        try
        {
            if (CommitOf(api, sha) is not { } commit || DirectPatch(commit.FirstParentTree, commit.Tree, renames: true) is not { } patch)
            {
                return null;
            }

            var (pending, added, removed, incomplete) = FromPatch(patch);
            var files = pending.Select(p => p.File).ToList();
            var tree = new TreeRef(commit.Tree);
            var parentTree = commit.FirstParentTree is { } id ? new TreeRef(id) : null;
            var (inputs, lockProblem) = FlakeInputsOf(files, () => parentTree, () => tree);
            var (hosts, shared) = HostsOf(files, () => (commit.Id, tree, commit.FirstParent, parentTree));
            var edit = Edit(host, actor, commit.Sha, commit.Parents, commit.Author, commit.AuthorEmail, commit.CommittedAt, (commit.Message, null), purpose, notes, files, added, removed, incomplete, inputs, lockProblem, hosts, shared);
            DirectCommitReads++;
            return new PendingEdit(edit, pending, this);
        }
        catch (Exception e) when (e is NotPlainException || IsReadFailure(e))
        {
            // Read again the other way, which counts its own direct reads.
            (DirectReads, DirectBlobReads) = (reads, blobReads);
            return null;
        }
    }

    private unsafe DirectCommit? CommitOf(Libgit2 api, string sha)
    {
        var id = new ObjectId(sha);
        IntPtr commit;
        if (!LookupCommit(api, id, &commit))
        {
            return null;
        }

        try
        {
            var count = api.CommitParentCount(commit);
            var parents = new string[count];
            ObjectId? first = null, firstTree = null;
            for (uint i = 0; i < count; i++)
            {
                var parent = new ReadOnlySpan<byte>(api.CommitParentId(commit, i), 20);
                parents[i] = Convert.ToHexStringLower(parent);
                first ??= new ObjectId(parent.ToArray());
            }

            if (first is not null && (firstTree = TreeOfCommit(api, first)) is null)
            {
                return null;
            }

            var author = api.CommitAuthor(commit);
            var committer = api.CommitCommitter(commit);
            var message = Lax(api.CommitMessage(commit)) ?? "";
            if (author == null || committer == null || message.Contains('\uFFFD', StringComparison.Ordinal))
            {
                // A message that is not UTF-8 is decoded with its declared encoding (MessageOf).
                return null;
            }

            // As LibGit2Sharp's Signature makes it, for both (a date it cannot make fails the read there).
            _ = When(author->When);
            return new DirectCommit(id, sha, IdAt(api.CommitTreeId(commit)), first, firstTree, parents, Lax(author->Name)!, Lax(author->Email)!, When(committer->When), message);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
        finally
        {
            api.CommitFree(commit);
        }
    }

    private unsafe ObjectId? TreeOfCommit(Libgit2 api, ObjectId id)
    {
        IntPtr commit;
        if (!LookupCommit(api, id, &commit))
        {
            return null;
        }

        try
        {
            return IdAt(api.CommitTreeId(commit));
        }
        finally
        {
            api.CommitFree(commit);
        }
    }

    private unsafe bool LookupCommit(Libgit2 api, ObjectId id, IntPtr* commit)
    {
        fixed (byte* oid = id.RawId)
        {
            return api.CommitLookup(commit, _repoHandle, oid) == 0;
        }
    }

    private static DateTimeOffset When(GitTime when) =>
        DateTimeOffset.FromUnixTimeSeconds(when.Time).ToOffset(TimeSpan.FromMinutes(when.Offset));

    /// <summary>A C string as LibGit2Sharp reads names and messages: UTF-8, anything else as U+FFFD.</summary>
    private static unsafe string? Lax(byte* text) =>
        text == null ? null : Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));

    /// <summary>
    /// The id of the blob at <paramref name="path"/> in a tree (a file or a symlink; not a folder or
    /// a submodule), or null when there is none.
    /// </summary>
    private unsafe ObjectId? BlobAt(ObjectId tree, string path)
    {
        const int NotFound = -3;
        if (Direct() is not { } api)
        {
            throw new NotPlainException();
        }

        IntPtr handle, entry;
        if (!LookupTree(api, tree, &handle))
        {
            throw new NotPlainException();
        }

        try
        {
            int result;
            fixed (byte* name = (byte[])[.. Encoding.UTF8.GetBytes(path), 0])
            {
                result = api.TreeEntryByPath(&entry, handle, name);
            }

            if (result == NotFound)
            {
                return null;
            }

            if (result != 0)
            {
                throw new NotPlainException();
            }

            try
            {
                var mode = api.TreeEntryFilemode(entry) & 0xF000;
                return mode is TreeMode or GitLinkMode ? null : IdAt(api.TreeEntryId(entry));
            }
            finally
            {
                api.TreeEntryFree(entry);
            }
        }
        finally
        {
            api.TreeFree(handle);
        }
    }
}
