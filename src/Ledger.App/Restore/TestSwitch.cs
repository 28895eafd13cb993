namespace Ledger.App.Restore;

/// <summary>
/// The documented test-only switch: with LEDGER_TEST_EXIT_AFTER_STEP=STEP, a restore exits at once
/// (exit code 137, as if killed) right after STEP is journaled, leaving the lock and the journal
/// behind, so tests can prove that <c>ledger restore --resume</c> finishes the job.
/// </summary>
internal static class TestSwitch
{
    public const string Variable = "LEDGER_TEST_EXIT_AFTER_STEP";

    public static void ExitAfter(string step, Func<string, string?> env)
    {
        if (string.Equals(env(Variable), step, StringComparison.Ordinal))
        {
            Environment.Exit(137);
        }
    }
}
