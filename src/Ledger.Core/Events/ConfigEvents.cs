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
/// pure deletions only count in <see cref="LinesRemoved"/>. Binary files have no patch.
/// </summary>
public sealed record FileChange(
    string Path,
    string? OldPath,
    FileChangeKind Kind,
    int LinesAdded,
    int LinesRemoved,
    IReadOnlyList<LineRange> Ranges,
    bool Binary,
    string? Patch,
    bool PatchTruncated = false);

/// <summary>A commit of the configuration repository was recorded.</summary>
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
    string? Notes = null) : ILedgerEvent;

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

/// <summary>A configuration repository was registered with Ledger (<c>ledger init</c>).</summary>
public sealed record RepositoryRegistered(
    string Host,
    string Actor,
    string Repo,
    string Branch,
    bool HookInstalled) : ILedgerEvent;
