using Ledger.Core.Analysis;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.App.Analysis;

/// <summary>
/// <c>ledger why</c>: reads the window before an incident from the store and ranks its changes
/// (Core's <see cref="SuspectRanker"/>). The CLI, the TUI's <c>w</c> and the monthly report call it.
/// </summary>
internal static class IncidentAnalysis
{
    /// <summary>How far back an analysis looks unless told otherwise.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(72);

    /// <summary>How many suspects an analysis lists unless told otherwise.</summary>
    public const int DefaultLimit = 10;

    /// <summary>The snapshot and check kinds that show state (the system snapshot says nothing a suspect changes).</summary>
    private static readonly string[] ReadingKinds = ["container-snapshot", "gpu-snapshot", "storage-snapshot", "validation"];

    /// <summary>The analysis of event <paramref name="seq"/>; an unknown seq is a usage error (exit 2).</summary>
    public static async Task<WhyReport> ForEventAsync(LedgerStore store, long seq, string? about, TimeSpan window, int limit, CancellationToken ct)
    {
        var e = await store.GetAsync(seq, ct)
            ?? throw new LedgerException($"There is no event #{seq}. Find the alert or failure with 'ledger timeline --kind alert' (or --kind validation, deploy), or give a time with --at.");
        return await AnalyseAsync(store, SubjectOf(e), SubjectTerms.Of(e.Data, about, e.Host), window, limit, ct);
    }

    /// <summary>The analysis of an incident that left no event: a time on a host, and what it was about.</summary>
    public static Task<WhyReport> ForTimeAsync(LedgerStore store, DateTimeOffset at, string host, string? about, TimeSpan window, int limit, CancellationToken ct)
    {
        var title = string.IsNullOrWhiteSpace(about) ? "an incident" : $"an incident: {about}";
        var subject = new WhySubject(null, at, host, "incident", title, "the incident");
        return AnalyseAsync(store, subject, SubjectTerms.Of(null, about, host), window, limit, ct);
    }

    /// <summary>An event as the subject: its time is when it happened (an alert's start, not when Alertmanager delivered it).</summary>
    public static WhySubject SubjectOf(TimelineEntry e)
    {
        var (time, noun) = e.Data switch
        {
            AlertFired a => (a.StartsAt == default ? e.Timestamp : a.StartsAt, "the alert"),
            AlertResolved a => (a.StartsAt == default ? e.Timestamp : a.StartsAt, "the alert"),
            ValidationRun v => (e.Timestamp, v.Status == ValidationStatus.Pass ? "the check" : "the failed check"),
            DeployFinished d => (e.Timestamp, d.Outcome == DeployOutcome.Succeeded ? "the deploy" : "the failed deploy"),
            ServiceRestarted => (e.Timestamp, "the restart"),
            RestoreFailed => (e.Timestamp, "the failed restore"),
            _ => (e.Timestamp, "the event"),
        };
        return new WhySubject(e.Seq, time, e.Host, e.Kind, e.Title, noun, e.Data);
    }

    private static async Task<WhyReport> AnalyseAsync(LedgerStore store, WhySubject subject, IReadOnlyList<Term> terms, TimeSpan window, int limit, CancellationToken ct)
    {
        var from = subject.Time - window;
        var events = await store.TimelineAsync(new TimelineQuery { Host = subject.Host, Since = from, Until = subject.Time, Limit = null }, ct);

        // The state just after the subject (when nothing was read between a suspect and it), and
        // just before the window (what the window's changes are measured from).
        var later = await store.TimelineAsync(new TimelineQuery { Host = subject.Host, Kinds = ReadingKinds, Since = subject.Time, FromOldest = true, Limit = 50 }, ct);
        var baseline = await store.TimelineAsync(new TimelineQuery { Host = subject.Host, Kinds = ReadingKinds, Until = from, Limit = 20 }, ct);
        var deploys = await store.TimelineAsync(new TimelineQuery { Host = subject.Host, Kinds = ["deploy"], Until = subject.Time, Limit = 1 }, ct);

        var suspects = SuspectRanker.Rank(subject, terms, from, events, later, deploys.Count > 0, limit);
        var changes = SuspectRanker.OverWindow(subject, from, baseline, events, later);
        long? restoreTo = null;
        if (suspects.Count > 0)
        {
            var previous = await store.TimelineAsync(new TimelineQuery { Host = subject.Host, BeforeSeq = suspects[0].Seq, Limit = 1 }, ct);
            restoreTo = previous.Count > 0 ? previous[0].Seq : null;
        }

        return new WhyReport(subject, from, subject.Time, terms, suspects, changes, restoreTo);
    }
}
