namespace Ledger.Core.Tests;

/// <summary>
/// Issue 19: <c>Redactor.Prepare</c> builds the rules ahead, on another thread, while an import
/// starts. Under the JIT, calling it before anything else touched the redactor built nothing: the
/// rules register as the class's static fields are initialised, which a static method call alone
/// does not cause. Checked in a fresh load of the assembly, where nothing has touched it yet.
/// </summary>
public sealed class RedactorPrepareSpecs
{
    [Fact]
    public void Prepare_builds_the_rules_in_a_process_that_has_not_redacted_yet()
    {
        using var fresh = new FreshRedactor("fresh Ledger.Core");

        fresh.Built.ShouldBe(0, "nothing is built before Prepare in a fresh load");

        fresh.Prepare();

        fresh.Built.ShouldBe(1, "Prepare builds the assignment rule, which every history needs; the others wait for a text that has a place for them (RedactorCandidateSpecs)");
    }
}
