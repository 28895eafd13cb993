using Ledger.Core.Events;
using Ledger.Core.Text;
using Ledger.Core.Timeline;

namespace Ledger.Core.Analysis;

/// <summary>
/// Ranks the changes before an incident by how likely they caused it, and says why. Pure: the
/// caller reads the window's events; the same events give the same answer.
/// </summary>
/// <remarks>
/// Score = a base by kind (a switch or restore changes the running system; a commit only once it
/// is deployed) + relevance (a term of the subject in a changed path 40, in a changed line 25, in
/// the message 20; a package of the switch whose version changed 40, a flake input of that name 40;
/// any flake input update 10, as it can change anything; at most 100) + deployment (20) + state that changed across it (20 for a change
/// to something the subject names, else 5; at most 40) + recency (at most 15, falling linearly
/// over the window). Relevance outweighs recency by design: one matching path beats any
/// difference in time. Suspects the host never deployed before the subject come after all others.
/// Ties go to the later change, then the higher seq.
/// </remarks>
public static class SuspectRanker
{
    /// <summary>The event types (aliases) that change something and so can be suspects.</summary>
    public static readonly IReadOnlySet<string> ChangeTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "config_edited", "deploy_finished", "restore_completed", "restore_failed", "file_restored", "service_restarted", "generation_activated",
    };

    private const int PathPoints = 40;
    private const int LinePoints = 25;
    private const int MessagePoints = 20;
    private const int MaxRelevance = 100;
    private const int DeployedPoints = 20;
    private const int MaxRecency = 15;
    private const int MatchingStatePoints = 20;
    private const int OtherStatePoints = 5;
    private const int MaxState = 40;
    private const int InputUpdatePoints = 10;

    /// <summary>
    /// Ranks every change in <paramref name="events"/>, with the state across each from the readings
    /// among <paramref name="events"/> and <paramref name="later"/>: <see cref="Candidates"/>, then
    /// <see cref="WithState"/>.
    /// </summary>
    /// <param name="subject">What happened.</param>
    /// <param name="terms">What it is about (<see cref="SubjectTerms"/>).</param>
    /// <param name="from">The start of the window; nothing before it is a suspect.</param>
    /// <param name="events">The host's events in the window, any order, snapshots and check runs included (they show state).</param>
    /// <param name="later">Snapshots and check runs just after the subject: the state after a suspect when none came between.</param>
    /// <param name="hostHasDeploys">The ledger knows deploys of this host before the subject, so an undeployed commit is known to be undeployed.</param>
    public static IReadOnlyList<Suspect> Rank(WhySubject subject, IReadOnlyList<Term> terms, DateTimeOffset from, IReadOnlyList<TimelineEntry> events, IReadOnlyList<TimelineEntry> later, bool hostHasDeploys, int limit) =>
        WithState(Candidates(subject, terms, from, events, hostHasDeploys), [.. events, .. later], terms, limit);

    /// <summary>How many of the best candidates <see cref="WithState"/> looks at: the state across a change adds at most 40 points, so it can lift a change only a little way up.</summary>
    public static int StateCandidates(int limit) => Math.Max(3 * limit, 30);

    /// <summary>Every change before the subject in the window (<paramref name="events"/>: the changes, any other events are passed over), scored and explained except for state, best first.</summary>
    public static IReadOnlyList<Suspect> Candidates(WhySubject subject, IReadOnlyList<Term> terms, DateTimeOffset from, IReadOnlyList<TimelineEntry> events, bool hostHasDeploys)
    {
        var before = events.Where(e => e.Seq != subject.Seq && IsBefore(e, subject) && e.Timestamp >= from && ChangeTypes.Contains(e.Type))
            .OrderBy(e => e.Timestamp).ThenBy(e => e.Seq).ToList();
        var edits = before.Where(e => e.Data is ConfigEdited).ToList();
        var deploys = before.Where(e => e.Data is DeployFinished { Outcome: DeployOutcome.Succeeded or DeployOutcome.ValidationFailed }).ToList();
        var deployedBy = DeployedBy(edits, deploys);

        var suspects = new List<Suspect>();
        foreach (var e in before)
        {
            var reasons = new List<string>();
            var score = BaseScore(e.Data);
            score += Math.Min(MaxRelevance, Relevance(e, subject, terms, edits, deployedBy, reasons));

            var notDeployed = false;
            if (e.Data is ConfigEdited)
            {
                if (deployedBy.TryGetValue(e.Seq, out var deploy))
                {
                    var d = (DeployFinished)deploy.Data;
                    score += DeployedPoints;
                    reasons.Add($"deployed {DurationText.Format(subject.Time - deploy.Timestamp)} before {subject.Noun} (deploy #{deploy.Seq}" + (d.Generation is { } g ? $", generation {g})" : ")"));
                }
                else if (hostHasDeploys)
                {
                    notDeployed = true;
                    reasons.Add($"not deployed before {subject.Noun}");
                }
            }

            if (e.Data is DeployFinished { Outcome: not DeployOutcome.Succeeded } failed)
            {
                reasons.Add($"the deploy ended {Outcome(failed.Outcome)}");
            }

            if (e.Data is ServiceRestarted { Succeeded: false })
            {
                reasons.Add("the restart failed");
            }

            var age = subject.Time - e.Timestamp;
            var window = subject.Time - from;
            score += window <= TimeSpan.Zero ? 0 : (int)Math.Round(MaxRecency * Math.Clamp(1 - (age / window), 0, 1));
            reasons.Add($"{DurationText.Format(age)} before");
            suspects.Add(new Suspect(e.Seq, e.Timestamp, e.Kind, e.Type, e.Title, score, reasons, notDeployed));
        }

        return Order(suspects);
    }

    /// <summary>
    /// Adds the state that changed across each of the best <see cref="StateCandidates"/> candidates
    /// (the last reading of each kind before it against the first after it, from
    /// <paramref name="readings"/>, which must hold those) and returns the best <paramref name="limit"/>.
    /// </summary>
    public static IReadOnlyList<Suspect> WithState(IReadOnlyList<Suspect> candidates, IReadOnlyList<TimelineEntry> readings, IReadOnlyList<Term> terms, int limit)
    {
        var ordered = InTimeOrder(readings, null);
        var looked = candidates.Take(StateCandidates(limit)).Select(s =>
        {
            var reasons = new List<string>(s.Reasons);
            var points = AcrossIt(s.Seq, s.Timestamp, ordered, terms, reasons);
            return s with { Score = s.Score + points, Reasons = reasons };
        });
        return Order(looked).Take(limit).ToList();
    }

    /// <summary>Not-deployed last, then by score, then the later change, then the higher seq.</summary>
    private static List<Suspect> Order(IEnumerable<Suspect> suspects) =>
        suspects.OrderBy(s => s.NotDeployed).ThenByDescending(s => s.Score).ThenByDescending(s => s.Timestamp).ThenByDescending(s => s.Seq).ToList();

    /// <summary>
    /// What changed over the window: for each kind of reading, the last one before the window (else
    /// the first in it) against the first one after the subject (else the last before it).
    /// </summary>
    public static IReadOnlyList<StateChange> OverWindow(WhySubject subject, DateTimeOffset from, IReadOnlyList<TimelineEntry> readings)
    {
        var all = InTimeOrder(readings, subject.Seq);
        var changes = new List<StateChange>();
        foreach (var kind in all.Select(e => StateDiff.ReadingKind(e)!).Distinct().Order(StringComparer.Ordinal))
        {
            var ofKind = all.Where(e => StateDiff.ReadingKind(e) == kind).ToList();
            var start = ofKind.LastOrDefault(e => e.Timestamp < from) ?? ofKind.FirstOrDefault(e => IsBefore(e, subject));
            var end = ofKind.FirstOrDefault(e => !IsBefore(e, subject)) ?? ofKind.LastOrDefault(e => IsBefore(e, subject));
            if (start is not null && end is not null && start.Seq != end.Seq)
            {
                changes.AddRange(StateDiff.Between(start, end));
            }
        }

        return changes;
    }

    /// <summary>The readings (snapshots and check runs) among <paramref name="events"/>, each once, oldest first, without the subject.</summary>
    private static List<TimelineEntry> InTimeOrder(IEnumerable<TimelineEntry> events, long? subjectSeq) =>
        events.Where(e => e.Seq != subjectSeq && StateDiff.ReadingKind(e) is not null).DistinctBy(e => e.Seq).OrderBy(e => e.Timestamp).ThenBy(e => e.Seq).ToList();

    /// <summary>Before the subject in time; at the same instant, before it in sequence.</summary>
    public static bool IsBefore(TimelineEntry e, WhySubject subject) =>
        e.Timestamp < subject.Time || (e.Timestamp == subject.Time && subject.Seq is { } s && e.Seq < s);

    private static int BaseScore(object e) => e switch
    {
        DeployFinished or RestoreCompleted or GenerationActivated => 10,
        _ => 5,
    };

    private static string Outcome(DeployOutcome o) => o switch
    {
        DeployOutcome.Failed => "failed",
        DeployOutcome.ValidationFailed => "with failed validations",
        DeployOutcome.RolledBack => "rolled back",
        _ => "well",
    };

    /// <summary>Which deploy (the first after it, before the subject) carried each commit: its own commit, an ancestor of it among the window's commits, or, when the deployed commit is not in the window, any commit made before it.</summary>
    private static Dictionary<long, TimelineEntry> DeployedBy(List<TimelineEntry> edits, List<TimelineEntry> deploys)
    {
        var bySha = edits.GroupBy(e => ((ConfigEdited)e.Data).Sha).ToDictionary(g => g.Key, g => g.First());
        var result = new Dictionary<long, TimelineEntry>();
        foreach (var deploy in deploys)
        {
            var d = (DeployFinished)deploy.Data;
            var carried = new HashSet<string>(StringComparer.Ordinal);
            var known = bySha.ContainsKey(d.Commit);
            if (known)
            {
                var stack = new Stack<string>([d.Commit]);
                while (stack.TryPop(out var sha))
                {
                    if (carried.Add(sha) && bySha.TryGetValue(sha, out var edit))
                    {
                        foreach (var p in ((ConfigEdited)edit.Data).Parents)
                        {
                            stack.Push(p);
                        }
                    }
                }
            }

            foreach (var edit in edits)
            {
                var c = (ConfigEdited)edit.Data;
                var isCarried = known ? carried.Contains(c.Sha) : c.Repo == d.Repo && edit.Timestamp <= deploy.Timestamp;
                if (isCarried && edit.Timestamp <= deploy.Timestamp)
                {
                    result.TryAdd(edit.Seq, deploy);
                }
            }
        }

        return result;
    }

    private static int Relevance(TimelineEntry e, WhySubject subject, IReadOnlyList<Term> terms, List<TimelineEntry> edits, Dictionary<long, TimelineEntry> deployedBy, List<string> reasons)
    {
        var points = 0;
        switch (e.Data)
        {
            case ConfigEdited c:
                if (subject.Data is DeployFinished sd && sd.Commit == c.Sha)
                {
                    points += PathPoints;
                    reasons.Add($"the commit {subject.Noun} switched to");
                }

                points += Matches(c, terms, "", reasons);
                points += Inputs(c, terms, reasons);
                break;
            case DeployFinished d:
                // A switch is as relevant as the changes it carried, and the packages it changed.
                foreach (var edit in edits.Where(x => deployedBy.TryGetValue(x.Seq, out var carrier) && carrier.Seq == e.Seq))
                {
                    var c = (ConfigEdited)edit.Data;
                    points += Matches(c, terms, $"switched to {EventCatalogue.ShortSha(c.Sha)}, which ", reasons);
                }

                points += Packages(d.PackageChanges, terms, reasons);
                break;
            case RestoreCompleted r:
                points += Packages(r.PackageChanges, terms, reasons);
                break;
            case GenerationActivated g:
                points += Packages(g.PackageChanges, terms, reasons);
                break;
            case FileRestored f:
                foreach (var t in terms.Where(t => Contains(f.Destination, t.Word) || Contains(f.Path, t.Word)))
                {
                    points += PathPoints;
                    reasons.Add($"restored {f.Destination} (matches {t.Source})");
                }

                break;
            case ServiceRestarted s:
                foreach (var t in terms.Where(t => Contains(s.Unit, t.Word)))
                {
                    points += PathPoints;
                    reasons.Add($"restarted {s.Unit} (matches {t.Source})");
                }

                break;
        }

        return points;
    }

    /// <summary>The flake inputs a commit moved: always said (an update can change anything), and an input the subject names counts as a matching path.</summary>
    private static int Inputs(ConfigEdited c, IReadOnlyList<Term> terms, List<string> reasons)
    {
        if (c.FlakeInputs is not { Count: > 0 } inputs)
        {
            return 0;
        }

        var points = InputUpdatePoints;
        reasons.Add($"moved flake inputs: {string.Join(", ", inputs.Select(Nix.FlakeInputText.Phrase))}");
        foreach (var t in terms.Where(t => inputs.Any(i => Contains(i.Input, t.Word))))
        {
            points += PathPoints;
            reasons.Add($"moved the input {inputs.First(i => Contains(i.Input, t.Word)).Input} (matches {t.Source})");
        }

        return points;
    }

    /// <summary>Packages of a switch whose versions changed and that a term names: the strongest evidence a switch gives.</summary>
    private static int Packages(IReadOnlyList<Nix.PackageChange>? packages, IReadOnlyList<Term> terms, List<string> reasons)
    {
        var changed = (packages ?? []).Where(p => p.VersionsChanged).ToList();
        var points = 0;
        foreach (var t in terms)
        {
            var named = changed.Where(p => Contains(p.Name, t.Word)).Take(3).ToList();
            if (named.Count > 0)
            {
                points += PathPoints;
                reasons.Add($"changed {string.Join(", ", named.Select(p => p.Phrase))} (matches {t.Source})");
            }
        }

        if (points == 0 && changed.Count > 0)
        {
            reasons.Add($"changed {changed.Count} package{(changed.Count == 1 ? "" : "s")}: {Nix.SystemChange.Summary(changed, 3)}");
        }

        return points;
    }

    /// <summary>Where the terms show in a commit, one reason per place naming every term found there.</summary>
    private static int Matches(ConfigEdited c, IReadOnlyList<Term> terms, string prefix, List<string> reasons)
    {
        var found = terms.Select(t => (Term: t, Place: Place(c, t, prefix))).Where(m => m.Place.Points > 0).ToList();
        foreach (var place in found.GroupBy(m => m.Place.Text))
        {
            reasons.Add($"{place.Key} (matches {string.Join(", ", place.Select(m => m.Term.Source).Distinct())})");
        }

        return found.Sum(m => m.Place.Points);
    }

    /// <summary>The strongest place a term shows in a commit: a changed path, a changed line, its message.</summary>
    private static (string Text, int Points) Place(ConfigEdited c, Term t, string prefix)
    {
        if (c.Files.FirstOrDefault(f => Contains(f.Path, t.Word)) is { } file)
        {
            return ($"{prefix}touched {file.Path}", PathPoints);
        }

        if (c.Files.FirstOrDefault(f => f.OldPath is not null && Contains(f.OldPath, t.Word)) is { } moved)
        {
            return ($"{prefix}moved {moved.OldPath} to {moved.Path}", PathPoints);
        }

        if (c.Files.FirstOrDefault(f => f.Patch is not null && ChangedLines(f.Patch).Any(l => Contains(l, t.Word))) is { } lines)
        {
            return ($"{prefix}changed a line that mentions {t.Word} in {lines.Path}", LinePoints);
        }

        return Contains(c.Message, t.Word)
            ? ($"{prefix}{(prefix.Length == 0 ? "its message" : "whose message")} mentions {t.Word}", MessagePoints)
            : ("", 0);
    }

    /// <summary>The last reading of each kind before the suspect against the first after it.</summary>
    private static int AcrossIt(long seq, DateTimeOffset at, List<TimelineEntry> readings, IReadOnlyList<Term> terms, List<string> reasons)
    {
        var points = 0;
        foreach (var group in readings.GroupBy(r => StateDiff.ReadingKind(r)!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var last = group.LastOrDefault(r => r.Timestamp < at || (r.Timestamp == at && r.Seq < seq));
            var next = group.FirstOrDefault(r => r.Timestamp > at || (r.Timestamp == at && r.Seq > seq));
            if (last is null || next is null)
            {
                continue;
            }

            foreach (var change in StateDiff.Between(last, next))
            {
                var matching = terms.FirstOrDefault(t => Contains(change.Subject, t.Word));
                points += matching is null ? OtherStatePoints : MatchingStatePoints;
                reasons.Add($"across it, {change.Text} (#{change.BeforeSeq} → #{change.AfterSeq}" + (matching is null ? ")" : $"; matches {matching.Source})"));
            }
        }

        return Math.Min(MaxState, points);
    }

    private static IEnumerable<string> ChangedLines(string patch) =>
        patch.Split('\n').Where(l => l.Length > 1 && (l[0] == '+' || l[0] == '-') && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal));

    private static bool Contains(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
}
