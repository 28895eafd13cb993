namespace Ledger.Core.Validation;

/// <summary>The nixos-rebuild actions a check may run; none of them touches the boot menu.</summary>
public enum NixosRebuildMode
{
    /// <summary><c>nixos-rebuild test</c>: build and activate, without making it the boot default.</summary>
    Test,

    /// <summary><c>nixos-rebuild dry-build</c>: show what would be built.</summary>
    DryBuild,

    /// <summary><c>nixos-rebuild build</c>: build only.</summary>
    Build,
}
