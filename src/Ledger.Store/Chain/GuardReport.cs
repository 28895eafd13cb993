namespace Ledger.Store.Chain;

/// <summary>What <c>ledger init --db-guards</c> set up and found.</summary>
/// <param name="Triggers">Each guard trigger as <c>table: trigger (state)</c>.</param>
/// <param name="ConnectedRole">The role this process connected as.</param>
/// <param name="ConnectedRoleCanBypass">Whether that role owns the tables or is a superuser, and so could disable the triggers.</param>
/// <param name="AppRole">The application role that was granted rights, if one was named.</param>
/// <param name="AppRoleCanChange">Rights the application role still has that it should not (empty when the grants took).</param>
public sealed record GuardReport(
    IReadOnlyList<string> Triggers,
    string ConnectedRole,
    bool ConnectedRoleCanBypass,
    string? AppRole,
    IReadOnlyList<string> AppRoleCanChange);
