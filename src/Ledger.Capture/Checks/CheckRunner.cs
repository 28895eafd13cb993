using System.Diagnostics;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>
/// Runs one check of the checklist and reports what it found. Never throws for a check that
/// could not run: that is an outcome with status <see cref="ValidationStatus.Error"/>. Every
/// outcome is bounded by the check's timeout (a hung process is killed, a hung request
/// abandoned), measured, redacted and cut to <see cref="CheckRunnerOptions.MaxOutputChars"/>.
/// </summary>
public sealed class CheckRunner
{
    private readonly CheckRunnerOptions _options;

    public CheckRunner(CheckRunnerOptions? options = null)
    {
        _options = options ?? new CheckRunnerOptions();
    }

    /// <summary>
    /// Runs <paramref name="check"/>. Only <paramref name="cancellationToken"/> (the user pressed
    /// Ctrl+C) makes this throw <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<CheckOutcome> RunAsync(CheckDefinition check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var stopwatch = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(check.Timeout);

        CheckOutcome outcome;
        try
        {
            outcome = await WithinDeadlineAsync(check, Start(check, deadline.Token), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = CheckOutcome.TimedOut(check.Timeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One broken check must not stop the others; what went wrong is its result.
            outcome = CheckOutcome.Error($"could not run the {check.Kind} check: {ex.Message}", [new Finding(check.Name, ex.GetType().Name + ": " + ex.Message)]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Finish(check, outcome) with { Duration = stopwatch.Elapsed };
    }

    private Task<CheckOutcome> Start(CheckDefinition check, CancellationToken token) => check switch
    {
        NixosRebuildCheck c => NixosRebuildRunner.RunAsync(c, _options, token),
        HttpCheck c => HttpCheckRunner.RunAsync(c, token),
        PrometheusTargetsCheck c => PrometheusTargetsRunner.RunAsync(c, token),
        // statvfs on a hung network mount blocks and cannot be cancelled: run it aside, so the
        // deadline still ends the check.
        DiskCheck c => Task.Run(() => DiskRunner.Run(c), token),
        SystemdCheck c => SystemdRunner.RunAsync(c, _options, token),
        DocHeadersCheck c => Task.Run(() => DocHeadersRunner.Run(c, token), token),
        ContainersCheck c => _options.Containers is { } containers ? containers(c, token) : Task.FromResult(NotWired(c, nameof(CheckRunnerOptions.Containers))),
        GpuCheck c => _options.Gpu is { } gpu ? gpu(c, token) : Task.FromResult(NotWired(c, nameof(CheckRunnerOptions.Gpu))),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check.GetType().Name, "No runner for this kind of check."),
    };

    /// <summary>
    /// The runner's own outcome when it ends by the deadline. A runner told to stop gets a short
    /// grace to kill its process and report its partial output; one that ignores the token is
    /// abandoned, so a hung collector cannot hang the whole validation.
    /// </summary>
    private async Task<CheckOutcome> WithinDeadlineAsync(CheckDefinition check, Task<CheckOutcome> run, CancellationToken deadline)
    {
        try
        {
            return await run.WaitAsync(deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Also reached when the runner finished just as time ran out: then its result stands.
            try
            {
                return await run.WaitAsync(_options.StopGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                return CheckOutcome.TimedOut(check.Timeout, [new Finding(check.Name, "did not stop when its time was up and was abandoned")]);
            }
        }
    }

    private CheckOutcome Finish(CheckDefinition check, CheckOutcome outcome)
    {
        var redactor = _options.Redactor;
        var findings = outcome.Findings.Select(f => f with { Subject = redactor.Redact(f.Subject), Message = redactor.Redact(f.Message) }).ToList();
        string? output = null;
        var truncated = outcome.OutputTruncated;
        if (outcome.Output is not null)
        {
            // Redact the whole text before cutting it: a cut could separate a secret from the
            // marker (a PEM header) that identifies it.
            var redacted = redactor.Redact(outcome.Output);
            var (text, cut) = check is NixosRebuildCheck or SystemdCheck
                ? OutputLimit.KeepTail(redacted, _options.MaxOutputChars)
                : OutputLimit.KeepHead(redacted, _options.MaxOutputChars);
            output = text;
            truncated |= cut;
        }

        return outcome with
        {
            Summary = redactor.Redact(outcome.Summary),
            Findings = findings,
            Output = output,
            OutputTruncated = truncated,
        };
    }

    private static CheckOutcome NotWired(CheckDefinition check, string option) =>
        CheckOutcome.Error(
            $"no {check.Kind} collector is available to this ledger",
            [new Finding(check.Name, $"the {check.Kind} check needs CheckRunnerOptions.{option}; this is a bug in ledger, not in checks.json")]);
}
