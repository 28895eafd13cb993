using System.Globalization;
using Ledger.Core.Events;
using Ledger.Core.Nix;
using Ledger.Core.Reports;
using Ledger.Core.Text;
using Ledger.Store.Projections;

namespace Ledger.App.ChangeDocs;

/// <summary>Turns change records into the models of the change-doc and index templates.</summary>
internal static class ChangeDocBuilder
{
    public static string LocalDate(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string LocalTime(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static DateOnly LocalDay(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The doc file names of changes in time order (see <see cref="ChangeDocNames.Assign"/>).</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<ChangeRecord> changes, TimeZoneInfo zone) =>
        ChangeDocNames.Assign(changes.Select(c => (LocalDay(c.CommittedAt, zone), c.Commit.Sha, c.Subject)));

    public static ChangeDocModel Model(ChangeRecord c, string fileName, TimeZoneInfo zone)
    {
        var e = c.Commit;
        var files = e.Files.Select(f => new FileModel(
            RepoPath(e.Repo, f.Path),
            f.OldPath is null ? null : RepoPath(e.Repo, f.OldPath),
            Kind(f.Kind),
            f.LinesAdded,
            f.LinesRemoved,
            string.Join(", ", f.Ranges.Select(r => r.ToString())),
            f.Binary)).ToArray();

        var validations = new List<ValidationModel>();
        foreach (var run in c.Validations)
        {
            var summary = run.AllPassed
                ? $"{run.Passed} of {Plural.Of(run.Checks, "check")} passed"
                : $"{run.Passed} of {Plural.Of(run.Checks, "check")} passed; failed: {string.Join(", ", run.Failed)}";
            validations.Add(new ValidationModel("run", run.AllPassed ? "pass" : "fail", LocalTime(run.At, zone), $"{summary} (ledger validate, first event #{run.FirstSeq})"));
        }

        foreach (var a in c.Annotations.Where(a => a.Validation is not null))
        {
            validations.Add(new ValidationModel("manual", "manual", LocalTime(a.At, zone), $"{a.Validation} ({a.Actor}, annotation #{a.Seq})"));
        }

        return new ChangeDocModel(
            fileName,
            c.Subject,
            LocalDate(c.CommittedAt, zone),
            LocalTime(c.CommittedAt, zone),
            c.Purpose,
            e.Host,
            e.Repo,
            e.Sha,
            EventCatalogue.ShortSha(e.Sha),
            c.Seq,
            e.Author,
            files,
            Rollback(c),
            c.Validations.Count > 0,
            validations,
            Notes(c, zone),
            (e.FlakeInputs ?? []).Select(i => new InputModel(i.Input, i.Change, FlakeInputText.Phrase(i), FlakeInputText.Rev(i.OldRev), FlakeInputText.Rev(i.NewRev), i.OldRef, i.NewRef)).ToArray(),
            HostText.Touched(e.Hosts, e.Shared));
    }

    public static IndexModel Index(string host, TimeZoneInfo zone, IReadOnlyList<ChangeRecord> changes, IReadOnlyList<string> names)
    {
        var entries = changes.Select((c, i) => (Change: c, Name: names[i]))
            .Reverse()
            .Select(x => new IndexEntryModel(LocalDate(x.Change.CommittedAt, zone), EventCatalogue.ShortSha(x.Change.Commit.Sha), x.Change.Subject, x.Name, ValidationStatus(x.Change)))
            .ToArray();
        var months = entries.GroupBy(e => e.Date[..7]).Select(g => new IndexMonthModel(g.Key, g.ToArray())).ToArray();
        return new IndexModel(host, zone.Id, changes.Count, months);
    }

    private static RollbackModel Rollback(ChangeRecord c)
    {
        var e = c.Commit;
        if (e.Parents.Count == 0)
        {
            return new RollbackModel(null, null, null, null,
                $"This is the first commit of the repository: there is no earlier state to restore. `git -C {e.Repo} revert {e.Sha}` undoes it as a new commit.");
        }

        var parent = e.Parents[0];
        if (c.ParentSeq is not { } seq)
        {
            return new RollbackModel(null, parent, EventCatalogue.ShortSha(parent), null,
                $"The commit before it ({parent}) is not recorded; record it with `ledger import-git --repo {e.Repo}` for a restore command, or undo with `git -C {e.Repo} revert {e.Sha}`.");
        }

        var command = $"ledger restore --to {seq.ToString(CultureInfo.InvariantCulture)} --host {e.Host} --repo {e.Repo}";
        return new RollbackModel(command, parent, EventCatalogue.ShortSha(parent), seq,
            $"puts back commit `{parent}` (event #{seq.ToString(CultureInfo.InvariantCulture)}), the state before this change.");
    }

    private static List<string> Notes(ChangeRecord c, TimeZoneInfo zone)
    {
        var notes = new List<string>();
        var body = c.Commit.Message.Split('\n', 2) is [_, var rest] ? rest.Trim() : "";
        if (body.Length > 0)
        {
            notes.Add(body);
        }

        if (c.Commit.Notes is { Length: > 0 } n)
        {
            notes.Add(n);
        }

        foreach (var a in c.Annotations)
        {
            if (a.Notes is not null)
            {
                notes.Add($"{a.Notes} ({a.Actor}, {LocalDate(a.At, zone)}, annotation #{a.Seq})");
            }
        }

        foreach (var d in c.Deploys)
        {
            var what = d.Outcome is null ? "unfinished" : Outcome(d.Outcome);
            var gen = d.Generation is { } g ? $", generation {g}" : "";
            notes.Add($"Deployed ({d.Action}) {LocalTime(d.At, zone)}: {what}{(d.Validated ? ", validated" : "")}{gen} (deploy {d.DeployId}, event #{d.Seq})");
        }

        foreach (var r in c.Restores)
        {
            var how = r.Automatic ? "automatic restore" : "restore";
            var result = r.Result ?? "unfinished";
            notes.Add(r.Role == "made"
                ? $"Made by {how} {r.RestoreId} to event #{r.TargetSeq}, {LocalTime(r.At, zone)}"
                : $"Its configuration was the target of {how} {r.RestoreId}, {LocalTime(r.At, zone)}: {result}");
        }

        return notes;
    }

    /// <summary>"passed" or "failed" by the latest linked run, else "not validated".</summary>
    public static string ValidationStatus(ChangeRecord c) =>
        c.Validations.Count == 0 ? "not validated" : c.Validations[^1].AllPassed ? "passed" : "failed";

    public static string Outcome(string outcome) => outcome switch
    {
        "succeeded" => "succeeded",
        "failed" => "failed",
        "validationFailed" => "validation failed",
        "rolledBack" => "rolled back",
        _ => outcome,
    };

    private static string Kind(FileChangeKind kind) => kind switch
    {
        FileChangeKind.TypeChanged => "type changed",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string RepoPath(string repo, string path) => repo.EndsWith('/') ? repo + path : repo + "/" + path;

}
