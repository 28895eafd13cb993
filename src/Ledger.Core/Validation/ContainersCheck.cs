namespace Ledger.Core.Validation;

/// <summary>
/// The expected containers run and none restarts more than <see cref="MaxRestarts"/> times.
/// Evaluated by the caller's podman collector.
/// </summary>
public sealed record ContainersCheck(string Name, TimeSpan Timeout, IReadOnlyList<string> Expected, int MaxRestarts)
    : CheckDefinition(Name, Timeout)
{
    public const int DefaultMaxRestarts = 3;

    public override string Kind => CheckKinds.Containers;
}
