namespace Ledger.IntegrationTests.Tui;

/// <summary>Terminal.Gui keeps process-wide state (drivers, configuration): its tests run one at a time.</summary>
[CollectionDefinition("tui", DisableParallelization = true)]
public sealed class TuiTestsRunSerially
{
}
