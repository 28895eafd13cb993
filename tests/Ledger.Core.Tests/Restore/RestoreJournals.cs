using Ledger.Core.Events;
using Ledger.Core.Restore;

namespace Ledger.Core.Tests.Restore;

/// <summary>Journals of one restore, as they stand after each step.</summary>
internal static class RestoreJournals
{
    public const string Target = "1111111111111111111111111111111111111111";
    public const string From = "2222222222222222222222222222222222222222";
    public const string NewCommit = "3333333333333333333333333333333333333333";

    public static RestoreJournal Fresh { get; } = new(
        new RestoreStarted(
            Host: "box",
            Actor: "alice",
            RestoreId: "r20261127020000-abc123",
            Repo: "/etc/nixos",
            TargetSeq: 12,
            TargetCommit: Target,
            FromCommit: From,
            Via: RestoreVia.Git,
            Reason: "GPU module is needed",
            Automatic: false,
            TargetGeneration: 41),
        DoneSteps: [],
        ChecksPath: "/etc/ledger/checks.json",
        Flake: ".#box");

    /// <summary>The journal once every step up to and including <paramref name="step"/> is done.</summary>
    public static RestoreJournal After(string step)
    {
        var done = RestoreSteps.All.Take(RestoreSteps.All.ToList().IndexOf(step) + 1).ToList();
        var journal = Fresh with { DoneSteps = done };
        return done.Contains(RestoreSteps.Commit) ? journal with { NewCommit = NewCommit } : journal;
    }

    /// <summary>The same journal with a different plan (how it was asked to restore).</summary>
    public static RestoreJournal Planned(this RestoreJournal journal, Func<RestoreStarted, RestoreStarted> change) =>
        journal with { Started = change(journal.Started) };
}
