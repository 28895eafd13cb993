using System.Globalization;
using Ledger.Core.Validation;

namespace Ledger.Capture.Checks;

/// <summary>
/// <c>systemctl is-active UNIT</c>: "active" passes; any other state (inactive, failed,
/// activating, ...) fails naming it. When systemctl prints no state at all (no systemd running,
/// no bus), nothing was checked: error, with what systemctl said.
/// </summary>
internal static class SystemdRunner
{
    public static async Task<CheckOutcome> RunAsync(SystemdCheck check, CheckRunnerOptions options, CancellationToken cancellationToken)
    {
        var program = ProgramLocator.Find(options.SystemctlProgram, options.SearchPath);
        if (program is null)
        {
            return CheckOutcome.Error(
                $"{options.SystemctlProgram} was not found on PATH",
                [new Finding(check.Unit, $"cannot ask systemd: {options.SystemctlProgram} was not found")]);
        }

        ProgramResult result;
        try
        {
            result = await ProgramRunner.Default.RunAsync(new ProgramCall(program, ["is-active", check.Unit]), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var seconds = check.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return CheckOutcome.TimedOut(check.Timeout, [new Finding(check.Unit, $"systemctl is-active did not answer within {seconds}s and was killed")]);
        }

        var state = FirstLine(result.StandardOutput);
        var output = (result.StandardOutput + result.StandardError).Trim();
        if (state.Length == 0)
        {
            var said = FirstLine(result.StandardError);
            var why = said.Length == 0 ? $"systemctl exited with code {result.ExitCode} without a state" : said;
            return CheckOutcome.Error($"systemctl could not tell the state of {check.Unit}: {why}", [new Finding(check.Unit, why)], output);
        }

        return state == "active"
            ? CheckOutcome.Pass($"{check.Unit} is active", output)
            : CheckOutcome.Fail($"{check.Unit} is {state}", [new Finding(check.Unit, $"is {state}, expected active")], output);
    }

    private static string FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}
