using System.Diagnostics;
using System.Text;

namespace Ledger.Store.Embedded;

// Every child process the launcher runs (initdb, pg_ctl, chown, runuser), in one place so that one runner can replace them.
public sealed partial class EmbeddedPostgres
{
    private async Task<(int ExitCode, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var exe = PostgresBinaries.Find(tool);
        var (file, argv) = _serviceUser is null
            ? (exe, args)
            : ("runuser", (IReadOnlyList<string>)["-u", _serviceUser, "--", exe, .. args]);
        var psi = new ProcessStartInfo(file, argv)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _serviceUser is null ? _home : "/",
        };

        // pg_ctl start leaves the server running with our pipes unless its output goes to the log file;
        // -l does that, so waiting for exit here is safe.
        using var process = Process.Start(psi) ?? throw new StoreException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, output);
    }

    private static (int ExitCode, string Output) RunRaw(string file, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi) ?? throw new StoreException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>Whether the service user may traverse <paramref name="directory"/> (<c>runuser ... test -x</c>).</summary>
    private bool ServiceUserCanTraverse(string directory)
    {
        var probe = new ProcessStartInfo("runuser", ["-u", _serviceUser!, "--", "test", "-x", directory])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(probe) ?? throw new StoreException("Could not run runuser to check directory access.");
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
