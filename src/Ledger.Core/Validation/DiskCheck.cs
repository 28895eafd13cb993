namespace Ledger.Core.Validation;

/// <summary>Something is mounted at <see cref="Mount"/> and it is at most <see cref="MaxUsedPercent"/> full.</summary>
public sealed record DiskCheck(string Name, TimeSpan Timeout, string Mount, double MaxUsedPercent)
    : CheckDefinition(Name, Timeout)
{
    public override string Kind => CheckKinds.Disk;
}
