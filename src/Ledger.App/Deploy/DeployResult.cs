using Ledger.Core.Events;

namespace Ledger.App.Deploy;

/// <summary>How a deploy ended; <see cref="ExitCode"/> is non-zero whenever the end state is not what was asked for.</summary>
internal sealed record DeployResult(DeployOutcome Outcome, string Commit, int ExitCode, string Message);
