using Ledger.App;
using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Core.Errors;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// <c>v</c> in the TUI: the checklist run by <see cref="Validator.RunAsync"/>, the code path of
/// <c>ledger validate</c>, with its lines arriving one by one as each check finishes and is recorded.
/// </summary>
internal sealed class ValidationViewModel(Func<TextWriter, OperationContext> context, string host, string repo)
{
    private readonly LiveLines _lines = new();

    /// <summary>The host the validation events are recorded for.</summary>
    public string Host { get; } = host;

    /// <summary>The configuration repository whose HEAD is the commit validated.</summary>
    public string Repo { get; } = repo;

    public ValidationState State { get; private set; } = ValidationState.Running;

    public bool Running => State == ValidationState.Running;

    public string Message { get; private set; } = "Validating ...";

    /// <summary>The output so far.</summary>
    public IReadOnlyList<StyledLine> Lines => _lines.Lines;

    /// <summary>The repository validated: see <see cref="ConfigRepo.ForValidationAsync"/>.</summary>
    public static Task<string> ResolveRepoAsync(LedgerStore store, string? option, string host, CancellationToken ct = default) =>
        ConfigRepo.ForValidationAsync(store, option, host, ct);

    /// <summary>Runs every check of the checklist; each output line also goes to <paramref name="onLine"/> as it arrives.</summary>
    public async Task RunAsync(Action<string>? onLine = null, CancellationToken ct = default)
    {
        using var output = _lines.Writer(ToneOf, onLine);
        var operation = context(output);
        var path = operation.ChecklistPath;
        _lines.Reset(StyledLine.Of($"Validating {Host} with {path ?? "(no checklist)"}; config commit from {Repo}", Tone.Heading), new StyledLine(""));
        if (path is null || !File.Exists(path))
        {
            State = ValidationState.CouldNotRun;
            var where = path ?? "$LEDGER_HOME/checks.json";
            Message = $"No checklist at {where}: see the lines above. Esc goes back.";
            _lines.Add(
                StyledLine.Of($"There is no checklist at {where}, so there is nothing to validate.", Tone.Bad),
                StyledLine.Of($"Write one there: ledger validate --example-config > {where} (then edit it),"),
                StyledLine.Of("or start the TUI with another one: ledger tui --config FILE"));
            return;
        }

        try
        {
            var checks = Validator.Load(path).Select([]);
            var result = await Validator.RunAsync(operation.Store, checks, Host, operation.Actor, operation.Programs, ConfigCommit.TryHead(Repo), output, ct);
            output.Flush();
            State = result.ExitCode == ExitCodes.Success ? ValidationState.Passed : ValidationState.Failed;
            Message = (State == ValidationState.Passed ? "Every check passed" : "Some checks failed") + "; the timeline shows the validation events. Esc goes back.";
        }
        catch (LedgerException e)
        {
            output.Flush();
            State = ValidationState.CouldNotRun;
            Message = "The validation could not run: see the lines above. Esc goes back.";
            _lines.Add(StyledLine.Block(e.Message, Tone.Bad));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database or a collector failed in an unforeseen way: the run ends, it does not hang as running.
            State = ValidationState.CouldNotRun;
            Message = "The validation stopped with an unexpected error. Esc goes back.";
            _lines.Add(StyledLine.Block($"Unexpected error: {e.Message}", Tone.Bad));
        }
    }

    private static Tone ToneOf(string line) => line switch
    {
        _ when line.StartsWith("PASS", StringComparison.Ordinal) => Tone.Good,
        _ when line.StartsWith("FAIL", StringComparison.Ordinal) || line.StartsWith("ERROR", StringComparison.Ordinal) => Tone.Bad,
        _ when line.StartsWith("       - ", StringComparison.Ordinal) => Tone.Warn,
        _ => Tone.Normal,
    };
}
