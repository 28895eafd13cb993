using System.Globalization;
using System.Text.Json;
using Ledger.App.ChangeDocs;
using Ledger.App.Rendering;
using Ledger.App.Reports;
using Ledger.Core.Events;
using Ledger.Core.Nix;
using Ledger.Core.Reports;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// One event in full, as lines: a config edit shows its files with line ranges, its diff (tones for
/// +/- and hunks), purpose and notes, and the validations, deploys and restores of its commit;
/// validations their findings and output; deploys and restores every event of the operation;
/// snapshots and alerts aligned tables (<see cref="EventTables"/>).
/// </summary>
internal sealed class DetailsViewModel
{
    private DetailsViewModel(TimelineEntry entry, IReadOnlyList<StyledLine> lines, string? title = null)
    {
        Entry = entry;
        Lines = lines;
        Title = title ?? $"Details of #{entry.Seq} ({entry.Kind})";
    }

    public TimelineEntry Entry { get; }

    /// <summary>What the screen shows above the lines.</summary>
    public string Title { get; }

    public IReadOnlyList<StyledLine> Lines { get; }

    /// <summary>The first line of the diff, for jumping to it; -1 when there is none.</summary>
    public int DiffStart => Lines.Select((l, i) => (l, i)).FirstOrDefault(x => x.l.Tone == Tone.Hunk, (null!, -1)).Item2;

    /// <summary>
    /// The change doc of a config edit, rendered by the same templates as <c>ledger docs</c>; null
    /// when the event is not a config edit.
    /// </summary>
    public static async Task<DetailsViewModel?> ChangeDocAsync(LedgerStore store, TimelineEntry e, TimeZoneInfo zone, CancellationToken ct = default)
    {
        if (e.Data is not ConfigEdited)
        {
            return null;
        }

        var changes = new List<Ledger.Store.Projections.ChangeRecord>();
        await foreach (var c in store.Changes.ReadAsync(e.Host, ct: ct))
        {
            changes.Add(c);
        }

        var names = ChangeDocBuilder.Names(changes, zone);
        var i = changes.FindIndex(c => c.Seq == e.Seq);
        if (i < 0)
        {
            return null;
        }

        var markdown = new Templates(null).Render(
            Templates.ChangeDoc,
            new Dictionary<string, object?> { ["change"] = ChangeDocBuilder.Model(changes[i], names[i], zone) });
        var lines = new List<StyledLine> { StyledLine.Of($"#{e.Seq}  change doc  {names[i]}", Tone.Heading), new("") };
        lines.AddRange(StyledLine.Block(markdown));
        return new DetailsViewModel(e, lines, $"Change doc of #{e.Seq}");
    }

    /// <summary>
    /// The monthly report of the event's host for the month the event falls in (in <paramref name="zone"/>),
    /// rendered as Markdown by the same builder and template as <c>ledger report monthly</c>.
    /// </summary>
    public static async Task<DetailsViewModel> MonthlyReportAsync(LedgerStore store, TimelineEntry e, TimeZoneInfo zone, CancellationToken ct = default)
    {
        var month = ReportMonth.Containing(e.Timestamp, zone);
        var model = await MonthlyReportBuilder.BuildAsync(store, e.Host, month, zone, "", charts: false, ct);
        var markdown = ReportRenderer.Render(new Templates(null), model, "md");
        var lines = StyledLine.Block(markdown.TrimEnd()).Select(l => l.Text.StartsWith('#') ? l with { Tone = Tone.Heading } : l);
        return new DetailsViewModel(e, [.. lines], $"Monthly report of {e.Host} for {month} (ledger report monthly)");
    }

    public static async Task<DetailsViewModel> LoadAsync(LedgerStore store, TimelineEntry e, TimeZoneInfo zone, CancellationToken ct = default)
    {
        var lines = new List<StyledLine>
        {
            StyledLine.Of($"#{e.Seq}  {e.Kind}  {e.Title}", Tone.Heading),
            StyledLine.Of($"time:   {TextTable.LocalTime(e.Timestamp, zone)}   host: {e.Host}   actor: {e.Actor}", Tone.Dim),
            StyledLine.Of($"stream: {e.StreamKey}", Tone.Dim),
            new(""),
        };
        switch (e.Data)
        {
            case ConfigEdited c:
                await ConfigEditAsync(store, e, c, zone, lines, ct);
                break;
            case ValidationRun v:
                Validation(v, lines);
                break;
            case DeployStarted or DeployFinished:
                await OperationAsync(store, e, "deploy", e.Data is DeployStarted s ? s.DeployId : ((DeployFinished)e.Data).DeployId, zone, lines, ct);
                break;
            case RestoreStarted or RestoreStepCompleted or RestoreCompleted or RestoreFailed:
                await OperationAsync(store, e, "restore", RestoreIdOf(e.Data), zone, lines, ct);
                break;
            case GpuSnapshotTaken g:
                lines.AddRange(EventTables.Gpu(g));
                break;
            case ContainerSnapshotTaken c:
                lines.AddRange(EventTables.Containers(c));
                break;
            case StorageSnapshotTaken storage:
                lines.AddRange(EventTables.Storage(storage));
                break;
            case SystemSnapshotTaken system:
                lines.AddRange(EventTables.System(system));
                break;
            case GenerationActivated g:
                lines.AddRange(EventTables.Packages(g.FromGeneration, g.Generation, g.PackageChanges, g.NixosVersion, g.ConfigurationRevision, g.SystemProblem));
                break;
            case AlertFired or AlertResolved:
                lines.AddRange(EventTables.Alert(e.Data, zone));
                break;
            default:
                lines.AddRange(StyledLine.Block(JsonSerializer.Serialize(e.Data, e.Data.GetType(), EventJson.Indented)));
                break;
        }

        return new DetailsViewModel(e, lines);
    }

    private static async Task ConfigEditAsync(LedgerStore store, TimelineEntry e, ConfigEdited c, TimeZoneInfo zone, List<StyledLine> lines, CancellationToken ct)
    {
        var annotations = (await store.TimelineAsync(new TimelineQuery { Host = e.Host, Kinds = ["annotation"], Grep = c.Sha, Limit = 50 }, ct))
            .Select(a => a.Data).OfType<ChangeAnnotated>().Where(a => a.TargetSeq == e.Seq).Reverse().ToList();
        var purpose = annotations.LastOrDefault(a => a.Purpose is not null)?.Purpose ?? c.Purpose;
        var notes = annotations.LastOrDefault(a => a.Notes is not null)?.Notes ?? c.Notes;
        lines.Add(StyledLine.Of($"commit:  {c.Sha}"));
        lines.Add(StyledLine.Of($"author:  {c.Author} <{c.AuthorEmail}>   {c.CommittedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}"));
        lines.Add(StyledLine.Of($"repo:    {c.Repo}"));
        if (HostText.Touched(c.Hosts, c.Shared) is { } touched)
        {
            lines.Add(StyledLine.Of($"hosts:   {touched}"));
        }

        lines.Add(StyledLine.Of($"purpose: {purpose}", Tone.Heading));
        if (notes is not null)
        {
            lines.AddRange(StyledLine.Block(notes, Tone.Normal, "notes:   "));
        }

        foreach (var a in annotations.Where(a => a.Validation is not null))
        {
            lines.Add(StyledLine.Of($"checked: {a.Validation} (by {a.Actor})"));
        }

        lines.Add(new(""));
        lines.AddRange(StyledLine.Block(c.Message.TrimEnd(), Tone.Dim, "    "));
        lines.Add(new(""));

        if (c.FlakeInputs is { Count: > 0 } inputs)
        {
            lines.Add(StyledLine.Of("Inputs updated:", Tone.Heading));
            lines.AddRange(inputs.Select(i => StyledLine.Of($"  {FlakeInputText.Phrase(i)}  ({FlakeInputText.Rev(i.OldRev)} → {FlakeInputText.Rev(i.NewRev)})")));
            lines.Add(new(""));
        }

        if (c.FlakeLockProblem is not null)
        {
            lines.Add(StyledLine.Of($"flake.lock: {c.FlakeLockProblem}", Tone.Bad));
            lines.Add(new(""));
        }

        lines.Add(StyledLine.Of($"Files ({c.Files.Count}, +{c.LinesAdded}/-{c.LinesRemoved}):", Tone.Heading));
        foreach (var f in c.Files)
        {
            var name = f.OldPath is null ? f.Path : $"{f.OldPath} -> {f.Path}";
            var detail = f.Binary ? "binary" : $"+{f.LinesAdded}/-{f.LinesRemoved}" + (f.Ranges.Count > 0 ? $" lines {string.Join(", ", f.Ranges)}" : "");
            lines.Add(StyledLine.Of($"  {f.Kind.ToString().ToLowerInvariant(),-9} {name}  ({detail})"));
        }

        lines.Add(new(""));
        await LinkedAsync(store, e.Host, c.Sha, zone, lines, ct);

        lines.Add(StyledLine.Of("Diff:", Tone.Heading));
        foreach (var f in c.Files.Where(f => f.Patch is not null))
        {
            foreach (var l in StyledLine.Block(f.Patch))
            {
                lines.Add(l with { Tone = DiffTone(l.Text) });
            }

            if (f.PatchTruncated)
            {
                lines.Add(StyledLine.Of($"  ({f.Path}: the patch was too long and is cut here)", Tone.Dim));
            }
        }
    }

    /// <summary>The validations run on this commit, and the deploys and restores that put it (back) in effect.</summary>
    private static async Task LinkedAsync(LedgerStore store, string host, string sha, TimeZoneInfo zone, List<StyledLine> lines, CancellationToken ct)
    {
        var related = await store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["validation", "deploy", "restore"], Grep = sha, Limit = 100 }, ct);
        var validations = related.Where(r => r.Data is ValidationRun v && v.ConfigCommit == sha).ToList();
        var operations = related.Where(r => r.Data is DeployFinished d && d.Commit == sha
            || r.Data is RestoreStarted s && s.TargetCommit == sha
            || r.Data is RestoreCompleted rc && rc.NewCommit == sha).ToList();
        lines.Add(StyledLine.Of($"Validations of this commit ({validations.Count}):", Tone.Heading));
        foreach (var v in validations)
        {
            lines.Add(StyledLine.Of($"  #{v.Seq} {TextTable.LocalTime(v.Timestamp, zone)}  {v.Title}", TimelineViewModel.ToneOf(v)));
        }

        lines.Add(StyledLine.Of($"Deploys and restores of this commit ({operations.Count}):", Tone.Heading));
        foreach (var o in operations)
        {
            lines.Add(StyledLine.Of($"  #{o.Seq} {TextTable.LocalTime(o.Timestamp, zone)}  {o.Title}", TimelineViewModel.ToneOf(o)));
        }

        lines.Add(new(""));
    }

    private static void Validation(ValidationRun v, List<StyledLine> lines)
    {
        lines.Add(StyledLine.Of($"check:   {v.Check} ({v.CheckKind})"));
        lines.Add(StyledLine.Of($"status:  {v.Status.ToString().ToLowerInvariant()} in {v.DurationMs} ms", v.Status == ValidationStatus.Pass ? Tone.Good : Tone.Bad));
        lines.Add(StyledLine.Of($"commit:  {v.ConfigCommit ?? "(not known)"}"));
        lines.Add(StyledLine.Of($"summary: {v.Summary}"));
        lines.Add(new(""));
        lines.Add(StyledLine.Of($"Findings ({v.Findings.Count}):", Tone.Heading));
        foreach (var f in v.Findings)
        {
            lines.Add(StyledLine.Of($"  {f.Severity,-7} {f.Subject}: {f.Message}", f.Severity == "error" ? Tone.Bad : Tone.Warn));
        }

        lines.Add(new(""));
        lines.Add(StyledLine.Of("Output" + (v.OutputTruncated ? " (cut)" : "") + ":", Tone.Heading));
        lines.AddRange(StyledLine.Block(v.Output ?? "(none)", Tone.Normal, "  "));
    }

    /// <summary>Every event of one deploy or restore: its steps and how it ended.</summary>
    private static async Task OperationAsync(LedgerStore store, TimelineEntry e, string kind, string id, TimeZoneInfo zone, List<StyledLine> lines, CancellationToken ct)
    {
        var events = await store.TimelineAsync(new TimelineQuery { Host = e.Host, Kinds = [kind], Grep = id, Limit = 200 }, ct);
        lines.Add(StyledLine.Of($"{kind} {id}: {Plural.Of(events.Count, "event")}", Tone.Heading));
        foreach (var x in events.OrderBy(x => x.Seq))
        {
            lines.Add(StyledLine.Of($"  #{x.Seq} {TextTable.LocalTime(x.Timestamp, zone)}  {x.Title}", TimelineViewModel.ToneOf(x)));
        }

        lines.Add(new(""));
        if (e.Data is DeployFinished d)
        {
            lines.Add(StyledLine.Of($"outcome: {d.Outcome.Describe()} (exit {d.ExitCode}), validated: {d.Validated}", d.Outcome == DeployOutcome.Succeeded ? Tone.Good : Tone.Bad));
            if (d.Error is not null)
            {
                lines.Add(StyledLine.Of($"error:   {d.Error}", Tone.Bad));
            }

            lines.AddRange(EventTables.Packages(d.FromGeneration, d.Generation, d.PackageChanges, d.NixosVersion, d.ConfigurationRevision, d.SystemProblem));

            lines.Add(StyledLine.Of("Output:", Tone.Heading));
            lines.AddRange(StyledLine.Block(d.OutputTail ?? "(none)", Tone.Normal, "  "));
        }
        else if (e.Data is RestoreCompleted r)
        {
            lines.AddRange(EventTables.Packages(r.FromGeneration, r.Generation, r.PackageChanges, r.NixosVersion, r.ConfigurationRevision, r.SystemProblem));
        }
        else
        {
            lines.AddRange(StyledLine.Block(JsonSerializer.Serialize(e.Data, e.Data.GetType(), EventJson.Indented), Tone.Dim));
        }
    }

    private static string RestoreIdOf(object data) => data switch
    {
        RestoreStarted r => r.RestoreId,
        RestoreStepCompleted r => r.RestoreId,
        RestoreCompleted r => r.RestoreId,
        RestoreFailed r => r.RestoreId,
        _ => "",
    };

    private static Tone DiffTone(string line) => line switch
    {
        _ when line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) => Tone.Heading,
        _ when line.StartsWith("@@", StringComparison.Ordinal) => Tone.Hunk,
        _ when line.StartsWith('+') => Tone.Added,
        _ when line.StartsWith('-') => Tone.Removed,
        _ when line.StartsWith("diff ", StringComparison.Ordinal) => Tone.Heading,
        _ => Tone.Normal,
    };
}
