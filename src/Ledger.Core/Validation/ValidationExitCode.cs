using Ledger.Core.Errors;
using Ledger.Core.Events;

namespace Ledger.Core.Validation;

/// <summary>The exit code of <c>ledger validate</c> for the statuses of the checks it ran.</summary>
public static class ValidationExitCode
{
    /// <summary>
    /// 0 when every check passed; 1 when any check failed (a real problem was found, even if
    /// other checks could not run); otherwise 2 when any check could not run.
    /// </summary>
    public static int For(IEnumerable<ValidationStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var all = statuses.ToList();
        if (all.Contains(ValidationStatus.Fail))
        {
            return ExitCodes.Failure;
        }

        return all.Contains(ValidationStatus.Error) ? ExitCodes.UsageOrEnvironment : ExitCodes.Success;
    }
}
