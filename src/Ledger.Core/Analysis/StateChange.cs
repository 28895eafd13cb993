namespace Ledger.Core.Analysis;

/// <summary>
/// One thing that was different in a later snapshot (or check run) than in an earlier one:
/// <paramref name="Subject"/> names what changed (a container, a mount, a GPU, a check), in words
/// that can match an incident's terms; <paramref name="Text"/> says it.
/// </summary>
public sealed record StateChange(string Kind, string Subject, string Text, long BeforeSeq, long AfterSeq);
