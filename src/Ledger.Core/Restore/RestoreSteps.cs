namespace Ledger.Core.Restore;

/// <summary>
/// The steps of a restore, in order. Each completed step is an event and a journal entry. The
/// restore's commit is made first (so the generation it builds names a clean commit) but is
/// recorded as a config edit only once the switch succeeded; a failed switch takes it back, so the
/// repository's history is as it was.
/// </summary>
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
