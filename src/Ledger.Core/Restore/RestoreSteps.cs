namespace Ledger.Core.Restore;

/// <summary>
/// The steps of a restore, in order. Each completed step is an event and a journal entry. The
/// target tree is checked out (staged, HEAD unmoved) and switched to before it is committed, so a
/// restore whose switch fails leaves the repository's history as it was.
/// </summary>
public static class RestoreSteps
{
    public const string Lock = "lock";
    public const string Stash = "stash";
    public const string Commit = "commit";
    public const string Checkout = "checkout";
    public const string Switch = "switch";
    public const string Validate = "validate";

    public static IReadOnlyList<string> All { get; } = [Lock, Stash, Checkout, Switch, Commit, Validate];
}
