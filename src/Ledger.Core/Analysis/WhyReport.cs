namespace Ledger.Core.Analysis;

/// <summary>
/// What an analysis is about: an event (<paramref name="Seq"/>) or a time the admin gave
/// (<c>--at</c>, no seq). <paramref name="Noun"/> is how reasons name it ("the alert").
/// </summary>
public sealed record WhySubject(long? Seq, DateTimeOffset Time, string Host, string Kind, string Title, string Noun, object? Data = null);

/// <summary>
/// A change that may have caused the subject, with its score (higher: more likely) and the
/// reasons, in plain language. <paramref name="NotDeployed"/>: the host has deploys on record
/// and none before the subject carried this commit, so it ranks below those that were deployed.
/// </summary>
public sealed record Suspect(long Seq, DateTimeOffset Timestamp, string Kind, string Type, string Title, int Score, IReadOnlyList<string> Reasons, bool NotDeployed = false);

/// <summary>
/// The analysis: the subject, the window looked at (<paramref name="From"/> to the subject), the
/// terms looked for, the suspects (best first), what changed in state over the window, and the
/// event just before the top suspect (where <c>ledger restore --to</c> goes back to).
/// </summary>
public sealed record WhyReport(
    WhySubject Subject,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<Term> Terms,
    IReadOnlyList<Suspect> Suspects,
    IReadOnlyList<StateChange> StateChanges,
    long? RestoreTo = null);
