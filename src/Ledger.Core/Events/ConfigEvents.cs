using System.Text.Json.Serialization;

namespace Ledger.Core.Events;

/// <summary>How a file changed in a commit, as git reports it.</summary>
public enum FileChangeKind
{
    Added,
    Modified,
    Deleted,
    Renamed,
    Copied,
    TypeChanged,
}

/// <summary>An inclusive range of line numbers on the new side of a diff.</summary>
public sealed record LineRange(int Start, int End)
{
    [JsonIgnore]
    public int Count => End - Start + 1;

    public override string ToString() => Start == End ? $"{Start}" : $"{Start}-{End}";
}

/// <summary>
/// One file of a commit. <see cref="Ranges"/> are the added or changed lines on the new side;
/// pure deletions only count in <see cref="LinesRemoved"/>. Binary files have no patch. The patch
/// was redacted whole by the capture, before it was cut at the size limit.
/// </summary>
/// <param name="Note">
/// Why the content is not shown when that is not plain binary: text holding NUL bytes (stored as
/// binary, with its size and SHA-256, since jsonb cannot hold NUL), content that could not be read,
/// or text not in UTF-8 (the patch shows U+FFFD; the named blob keeps the bytes).
/// </param>
public sealed record FileChange(
    string Path,
    string? OldPath,
    FileChangeKind Kind,
    int LinesAdded,
    int LinesRemoved,
    IReadOnlyList<LineRange> Ranges,
    bool Binary,
    [property: JsonConverter(typeof(RedactedText))] string? Patch,
    bool PatchTruncated = false,
    string? Note = null);

/// <summary>A commit of the configuration repository was recorded.</summary>
/// <param name="Incomplete">
/// Null when everything was read. Otherwise what could not be read and why (a missing object, a
/// diff libgit2 cannot compute): the commit is still recorded with its metadata and whatever
/// file list could be read.
/// </param>
/// <param name="MessageEncoding">
/// Null for UTF-8. Otherwise the encoding the message was decoded from: the one the commit
/// declares (<c>i18n.commitEncoding</c>), or ISO-8859-1 when it declares none and is not UTF-8.
/// </param>
/// <param name="FlakeInputs">
/// When the commit changed a <c>flake.lock</c>: its direct inputs that moved, sorted by name
/// (<see cref="Nix.FlakeLock"/>); empty when the lock changed but no direct input did. Null (and
/// absent from the stored JSON) when the commit left every flake.lock alone.
/// </param>
/// <param name="FlakeLockProblem">Why a changed flake.lock could not be read (malformed, conflicted); the commit is recorded all the same.</param>
/// <param name="Hosts">
/// In a multi-host configuration (<see cref="Nix.HostLayout"/>): the hosts whose own directory or
/// file the commit changes, sorted. Null (and absent from the stored JSON) when the repository has
/// no host layout.
/// </param>
/// <param name="Shared">In a multi-host configuration: true when the commit changes anything outside every host's own files, so it affects all hosts of the repository.</param>
public sealed record ConfigEdited(
    string Host,
    string Actor,
    string Repo,
    string Sha,
    IReadOnlyList<string> Parents,
    string Author,
    string AuthorEmail,
    DateTimeOffset CommittedAt,
    string Message,
    string Purpose,
    IReadOnlyList<FileChange> Files,
    int LinesAdded,
    int LinesRemoved,
    string? Notes = null,
    string? Incomplete = null,
    string? MessageEncoding = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Nix.FlakeInputChange>? FlakeInputs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FlakeLockProblem = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Hosts = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Shared = null) : ILedgerEvent;

/// <summary>
/// Someone added or corrected the purpose, notes or manual validation of a recorded change.
/// Later annotations win; the original commit message stays in the <see cref="ConfigEdited"/>.
/// </summary>
public sealed record ChangeAnnotated(
    string Host,
    string Actor,
    long TargetSeq,
    string? Sha,
    string? Purpose,
    string? Notes,
    string? Validation) : ILedgerEvent;

/// <summary>
/// Facts derived from a recorded commit by a later Ledger than the one that recorded it (the flake
/// inputs its lock moved, the hosts it touches), written by <c>ledger import-git --rederive</c> to
/// the commit's stream. Readers merge the latest one into the <see cref="ConfigEdited"/> (the
/// stored commit event is never edited); the fields mean the same as there.
/// </summary>
public sealed record ChangeDerived(
    string Host,
    string Actor,
    long TargetSeq,
    string Repo,
    string Sha,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Nix.FlakeInputChange>? FlakeInputs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FlakeLockProblem,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Hosts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Shared) : ILedgerEvent;

/// <summary>A configuration repository was registered with Ledger (<c>ledger init</c>).</summary>
public sealed record RepositoryRegistered(
    string Host,
    string Actor,
    string Repo,
    string Branch,
    bool HookInstalled) : ILedgerEvent;
