using Ledger.App.Validation;
using Ledger.Capture.Git;
using Ledger.Core.Events;
using Ledger.Core.Text;

namespace Ledger.Cli.Serve.Jobs;

/// <summary>Runs the checklist, as <c>ledger validate</c> does, and records one event per check.</summary>
internal sealed class ValidationJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    public string Name => "validate";

    public TimeSpan Interval => interval;

    public bool RunAtStart => false;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        // Read each time, like the command: a checklist changed by a deploy applies to the next run.
        var path = Path.GetFullPath(serve.Settings.Checks ?? Path.Combine(serve.Home, "checks.json"));
        var checks = Validator.Load(path).Checks;
        var run = await Validator.RunAsync(serve.Store, checks, serve.Host, ServeContext.Actor, serve.Programs, ConfigCommit.TryHead(serve.Settings.Repo), null, ct);
        var passed = run.Recorded.Entries.Count(e => e.Data is ValidationRun { Status: ValidationStatus.Pass });
        return $"{passed} of {Plural.Of(run.Recorded.Entries.Count, "check")} passed (validate would exit {run.ExitCode})";
    }
}
