using Ledger.Core.Processes;

namespace Ledger.Store.Embedded;

// Every child process the launcher runs (initdb, pg_ctl, chown, runuser), through the one runner it is given.
public sealed partial class EmbeddedPostgres
{
    private async Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var exe = PostgresBinaries.Find(tool, _runner);
        var (file, argv) = _serviceUser is null
            ? (exe, args)
            : ("runuser", (IReadOnlyList<string>)["-u", _serviceUser, "--", exe, .. args]);

        // pg_ctl start leaves the server running with our pipes unless its output goes to the log file;
        // -l does that, so waiting for the end of the output here is safe.
        var result = await RunProgramAsync(new ProgramCall(file, argv) { WorkingDirectory = _serviceUser is null ? _home : "/" }, ct);
        return (result.ExitCode, result.Output);
    }

    private (int ExitCode, string Output) RunRaw(string file, IReadOnlyList<string> args)
    {
        var result = RunProgramAsync(new ProgramCall(file, args), CancellationToken.None).GetAwaiter().GetResult();
        return (result.ExitCode, result.Output);
    }

    /// <summary>Whether the service user may traverse <paramref name="directory"/> (<c>runuser ... test -x</c>).</summary>
    private bool ServiceUserCanTraverse(string directory) =>
        RunRaw("runuser", ["-u", _serviceUser!, "--", "test", "-x", directory]).ExitCode == 0;

    private async Task<ProgramResult> RunProgramAsync(ProgramCall call, CancellationToken ct)
    {
        try
        {
            return await _runner.RunAsync(call, ct);
        }
        catch (ProgramNotStartedException e)
        {
            throw new StoreException($"Could not start {call.Program}.", inner: e);
        }
    }
}
