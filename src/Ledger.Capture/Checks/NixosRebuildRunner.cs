using System.Globalization;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>Runs <c>nixos-rebuild MODE [--flake X]</c> in the configuration folder; exit code 0 passes.</summary>
internal static class NixosRebuildRunner
{
    public static async Task<CheckOutcome> RunAsync(NixosRebuildCheck check, CheckRunnerOptions options, CancellationToken cancellationToken)
    {
        var commandLine = "nixos-rebuild " + string.Join(' ', check.Arguments);
        if (!Directory.Exists(check.Repo))
        {
            return CheckOutcome.Error(
                $"the configuration folder {check.Repo} does not exist",
                [new Finding(check.Repo, "does not exist; set \"repo\" to the folder that holds flake.nix or configuration.nix")]);
        }

        var program = ProgramLocator.Find(options.NixosRebuildProgram, options.SearchPath);
        if (program is null)
        {
            return CheckOutcome.Error(
                $"{options.NixosRebuildProgram} was not found on PATH",
                [new Finding("nixos-rebuild", $"{options.NixosRebuildProgram} was not found; run ledger validate on the NixOS host itself")]);
        }

        var output = new ProcessOutput();
        var call = new ProgramCall(program, check.Arguments) { WorkingDirectory = check.Repo, OutputLines = output.Append };

        ProgramResult result;
        try
        {
            // Cancellation kills the process and its children (CliWrap kills the process tree).
            result = await ProgramRunner.Default.RunAsync(call, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var seconds = check.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return CheckOutcome.TimedOut(
                check.Timeout,
                [new Finding(commandLine, $"still running after {seconds}s and killed; raise \"timeoutSeconds\" if the build needs longer")],
                output.ToString());
        }

        if (result.ExitCode == 0)
        {
            return CheckOutcome.Pass($"{commandLine} succeeded", output.ToString());
        }

        var tail = output.LastLines(8);
        return CheckOutcome.Fail(
            $"{commandLine} exited with code {result.ExitCode}",
            [new Finding(commandLine, tail.Length == 0 ? $"exited with code {result.ExitCode} without output" : tail)],
            output.ToString());
    }
}
