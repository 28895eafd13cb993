namespace Ledger.App.ChangeDocs;

// The models of change-doc.md.liquid and index.md.liquid (documented in projections/README.md).
// Times are already local to the host's time zone and formatted; the templates only lay them out.

internal sealed record ChangeDocModel(
    string FileName,
    string Title,
    string Date,
    string Time,
    string Purpose,
    string Host,
    string Repo,
    string Sha,
    string ShortSha,
    long Seq,
    string Author,
    IReadOnlyList<FileModel> Files,
    RollbackModel Rollback,
    bool Validated,
    IReadOnlyList<ValidationModel> Validations,
    IReadOnlyList<string> Notes,
    IReadOnlyList<InputModel> Inputs,
    string? Hosts);

/// <summary>A flake input the commit moved: <see cref="Phrase"/> as in the title (<c>nixpkgs +14 days</c>), revs shortened.</summary>
internal sealed record InputModel(string Name, string Change, string Phrase, string OldRev, string NewRev, string? OldRef, string? NewRef);

internal sealed record FileModel(string Path, string? OldPath, string Kind, int LinesAdded, int LinesRemoved, string Ranges, bool Binary);

/// <summary>How to undo the change: <see cref="Command"/> is null when no earlier recorded state exists.</summary>
internal sealed record RollbackModel(string? Command, string? ParentSha, string? ParentShortSha, long? ParentSeq, string Explanation);

/// <summary>A validation of the change: a linked <c>ledger validate</c> run (<see cref="Kind"/> "run") or a manual one ("manual").</summary>
internal sealed record ValidationModel(string Kind, string Status, string When, string Summary);

internal sealed record IndexModel(string Host, string TimeZone, int Count, IReadOnlyList<IndexMonthModel> Months);

internal sealed record IndexMonthModel(string Month, IReadOnlyList<IndexEntryModel> Entries);

/// <summary><see cref="Validation"/>: "passed" or "failed" (the latest linked run), or "not validated".</summary>
internal sealed record IndexEntryModel(string Date, string ShortSha, string Title, string FileName, string Validation);
