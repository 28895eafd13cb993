namespace Ledger.Core.Validation;

/// <summary>
/// One entry of the checklist. Each kind is a sealed record deriving from this one; a runner
/// switches on the type.
/// </summary>
public abstract record CheckDefinition(string Name, TimeSpan Timeout)
{
    /// <summary>The kind as written in checks.json, one of <see cref="CheckKinds.All"/>.</summary>
    public abstract string Kind { get; }
}
