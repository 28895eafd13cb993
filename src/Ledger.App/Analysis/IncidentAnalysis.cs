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

    /// <summary>The snapshot types whose change across a suspect is a reason (the system snapshot says nothing a change does).</summary>
    private static readonly string[] SnapshotTypes = ["container_snapshot_taken", "gpu_snapshot_taken", "storage_snapshot_taken"];

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

    /// <summary>
    /// Reads only what the analysis needs, however long the history: the changes in the window,
    /// the check runs in it and just after the subject, and, by index probes, the snapshots just
    /// before and after each of the best candidates, the window's start and the subject.
    /// </summary>
    private static async Task<WhyReport> AnalyseAsync(LedgerStore store, WhySubject subject, IReadOnlyList<Term> terms, TimeSpan window, int limit, CancellationToken ct)
    {
        var from = subject.Time - window;
        var host = subject.Host;
        var changes = await store.TimelineAsync(new TimelineQuery { Host = host, Types = [.. SuspectRanker.ChangeTypes], Since = from, Until = subject.Time, Limit = null }, ct);
        var deploys = await store.TimelineAsync(new TimelineQuery { Host = host, Types = ["deploy_finished"], Until = subject.Time, Limit = 1 }, ct);
        var candidates = SuspectRanker.Candidates(subject, terms, from, changes, deploys.Count > 0);

        var checks = await store.TimelineAsync(new TimelineQuery { Host = host, Types = ["validation_run"], Since = from, Until = subject.Time, Limit = null }, ct);
        var checksAfter = await store.TimelineAsync(new TimelineQuery { Host = host, Types = ["validation_run"], Since = subject.Time, FromOldest = true, Limit = 50 }, ct);
        var times = candidates.Take(SuspectRanker.StateCandidates(limit)).Select(c => c.Timestamp).Append(from).Append(subject.Time).ToList();
        var snapshots = await store.AroundAsync(host, SnapshotTypes, times, ct);
        var readings = snapshots.Concat(checks).Concat(checksAfter).ToList();

        var suspects = SuspectRanker.WithState(candidates, readings, terms, limit);
        var changed = SuspectRanker.OverWindow(subject, from, readings);
        long? restoreTo = null;
        if (suspects.Count > 0)
        {
            var previous = await store.TimelineAsync(new TimelineQuery { Host = host, BeforeSeq = suspects[0].Seq, Limit = 1 }, ct);
            restoreTo = previous.Count > 0 ? previous[0].Seq : null;
        }

        return new WhyReport(subject, from, subject.Time, terms, suspects, changed, restoreTo);
    }
}
