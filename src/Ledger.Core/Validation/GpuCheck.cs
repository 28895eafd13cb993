namespace Ledger.Core.Validation;

/// <summary>The GPU answers (and, when set, is at least this busy). Evaluated by the caller's GPU collector.</summary>
public sealed record GpuCheck(string Name, TimeSpan Timeout, double? MinUtilizationPercent)
    : CheckDefinition(Name, Timeout)
{
    public override string Kind => CheckKinds.Gpu;
}
