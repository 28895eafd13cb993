namespace Ledger.Core.Restore;

/// <summary>How a restore puts its target in effect.</summary>
public static class RestoreVia
{
    /// <summary>A new commit with the target tree, then <c>nixos-rebuild switch</c>.</summary>
    public const string Git = "git";

    /// <summary>A switch of the system profile to the generation recorded for the target.</summary>
    public const string Generation = "generation";
}
