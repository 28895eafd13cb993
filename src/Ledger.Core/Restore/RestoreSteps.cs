namespace Ledger.Core.Restore;

/// <summary>The steps of a restore, in order. Each completed step is an event and a journal entry.</summary>
public static class RestoreSteps
{
    public const string Lock = "lock";
    public const string Stash = "stash";
    public const string Commit = "commit";
    public const string Checkout = "checkout";
    public const string Switch = "switch";
    public const string Validate = "validate";

    public static IReadOnlyList<string> All { get; } = [Lock, Stash, Commit, Checkout, Switch, Validate];
}
