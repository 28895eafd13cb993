using Ledger.App;
using Ledger.App.Restore;
using Ledger.Core.Errors;
using Ledger.Core.Restore;
using Ledger.Core.Text;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// Restore from the TUI: the plan of <see cref="RestoreEngine.PlanAsync"/>, written as
/// <c>ledger restore</c> writes it; the admin types the host name; then
/// <see cref="RestoreEngine.ExecuteAsync"/> runs with its step progress coming back line by line.
/// The same engine as <c>ledger restore</c>, not a second one.
/// </summary>
internal sealed class RestoreViewModel(Func<TextWriter, OperationContext> context, string host, string repoPath, long targetSeq)
{
    private readonly LiveLines _progress = new();
    private IReadOnlyList<StyledLine> _planLines = [];
    private RestorePlan? _plan;

    /// <summary>What the TUI asks for: via git, validated, nothing stashed (local changes stop it).</summary>
    private static readonly RestoreRequest Request = new(RestoreEngine.Git, "restored from ledger tui", Stash: false, Automatic: false, Validate: true, Flake: null);

    public string Host { get; } = host;

    public string RepoPath { get; } = repoPath;

    public long TargetSeq { get; } = targetSeq;

    public RestoreState State { get; private set; } = RestoreState.Planning;

    /// <summary>What the admin has typed to confirm; must equal <see cref="Host"/>.</summary>
    public string Typed { get; set; } = "";

    public bool Confirmed => string.Equals(Typed.Trim(), Host, StringComparison.Ordinal);

    public string? Message { get; private set; }

    /// <summary>Why the last Enter did not start the restore (a wrong host name); cleared by <see cref="Type"/>.</summary>
    public string? ConfirmError { get; private set; }

    /// <summary>The plan, an error of the confirmation, then the progress of the run.</summary>
    public IReadOnlyList<StyledLine> Lines =>
        [.. _planLines, .. ConfirmError is { } error ? [new StyledLine(""), StyledLine.Of(error, Tone.Bad)] : Array.Empty<StyledLine>(), .. _progress.Lines];

    /// <summary>The admin typed into the prompt: what is typed now replaces <see cref="Typed"/> and the last error goes.</summary>
    public void Type(string typed)
    {
        Typed = typed;
        ConfirmError = null;
    }

    /// <summary>
    /// Enter on the prompt: true when <paramref name="typed"/> is the host name (then <see cref="ExecuteAsync"/> may run);
    /// otherwise <see cref="ConfirmError"/> says so at once.
    /// </summary>
    public bool Confirm(string typed)
    {
        Typed = typed;
        if (State != RestoreState.Confirming)
        {
            return false;
        }

        ConfirmError = Confirmed ? null
            : string.IsNullOrWhiteSpace(typed) ? $"Type the host name {Host} first, then Enter; Esc cancels."
            : $"'{TerminalText.Line(typed.Trim())}' is not the host name; type {Host} to restore, or Esc to cancel.";
        return Confirmed;
    }

    /// <summary>The repository to restore: see <see cref="ConfigRepo.ForRestoreAsync"/>.</summary>
    public static Task<string> ResolveRepoAsync(LedgerStore store, string? option, TimelineEntry target, CancellationToken ct = default) =>
        ConfigRepo.ForRestoreAsync(store, option, target, ct);

    public async Task PlanAsync(CancellationToken ct = default)
    {
        try
        {
            var engine = new RestoreEngine(context(TextWriter.Null));
            var plan = await engine.PlanAsync(RepoPath, TargetSeq, ct);
            using var text = new StringWriter();
            await RestoreEngine.WritePlanAsync(text, plan, RestoreEngine.Git);
            var readiness = plan.AlreadyInEffect ? null : engine.CheckReadiness(RepoPath, plan, Request);
            if (readiness is not null)
            {
                await RestoreEngine.WriteReadinessAsync(text, readiness);
            }

            _planLines = [.. StyledLine.Block(text.ToString().TrimEnd()).Select(l => l.Text.StartsWith("  stop: ", StringComparison.Ordinal) ? l with { Tone = Tone.Bad } : l)];
            _plan = plan;
            State = plan.AlreadyInEffect ? RestoreState.NothingToDo : readiness is { Ready: false } ? RestoreState.Blocked : RestoreState.Confirming;
            Message = State switch
            {
                RestoreState.NothingToDo => "Nothing to do: this configuration is already in effect. Esc to go back.",
                RestoreState.Blocked => "This restore cannot start (the stop: lines say why); nothing was changed. Esc to go back.",
                _ => $"Type the host name ({Host}) and press Enter to restore; Esc cancels.",
            };
        }
        catch (LedgerException e)
        {
            State = RestoreState.Failed;
            Message = e.Message;
            _planLines = [StyledLine.Of($"Cannot plan a restore to event #{TargetSeq} from {RepoPath}:", Tone.Bad), .. StyledLine.Block(e.Message, Tone.Bad)];
        }
    }

    /// <summary>Runs the restore when the host name was typed; progress lines arrive through <paramref name="onLine"/> as well as in <see cref="Lines"/>.</summary>
    public async Task<bool> ExecuteAsync(Action<string>? onLine = null, CancellationToken ct = default)
    {
        if (State != RestoreState.Confirming || _plan is null)
        {
            return false;
        }

        if (!Confirm(Typed))
        {
            return false;
        }

        State = RestoreState.Running;
        Message = "Restoring ... (it cannot be left half done; wait for it to finish)";
        _progress.Reset(new StyledLine(""), StyledLine.Of("Progress:", Tone.Heading));
        using var progress = _progress.Writer(_ => Tone.Restore, onLine);
        try
        {
            var engine = new RestoreEngine(context(progress));
            var outcome = await engine.ExecuteAsync(
                RepoPath,
                _plan,
                Request,
                heldLock: null,
                ct);
            progress.Flush();
            State = outcome.Succeeded ? RestoreState.Succeeded : RestoreState.Failed;
            Message = outcome.Succeeded ? "Restored (above). Esc returns to the timeline." : "The restore failed (above says why). Esc returns to the timeline.";
            _progress.Add(StyledLine.Of(outcome.Message, outcome.Succeeded ? Tone.Good : Tone.Bad));
            return outcome.Succeeded;
        }
        catch (LedgerException e)
        {
            State = RestoreState.Failed;
            Message = "The restore did not start (above says why). Esc returns to the timeline.";
            _progress.Add(StyledLine.Block(e.Message, Tone.Bad));
            return false;
        }
    }
}
