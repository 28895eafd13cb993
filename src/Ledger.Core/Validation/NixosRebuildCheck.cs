namespace Ledger.Core.Validation;

/// <summary><c>nixos-rebuild MODE [--flake FLAKE]</c>, run in <see cref="Repo"/>; exit code 0 passes.</summary>
public sealed record NixosRebuildCheck(string Name, TimeSpan Timeout, NixosRebuildMode Mode, string? Flake, string Repo)
    : CheckDefinition(Name, Timeout)
{
    public const string DefaultRepo = "/etc/nixos";

    public override string Kind => CheckKinds.NixosRebuild;

    /// <summary>The word nixos-rebuild expects for <see cref="Mode"/>.</summary>
    public string ModeArgument => Mode switch
    {
        NixosRebuildMode.Test => "test",
        NixosRebuildMode.DryBuild => "dry-build",
        NixosRebuildMode.Build => "build",
        _ => throw new InvalidOperationException($"Unknown nixos-rebuild mode {Mode}."),
    };

    /// <summary>The arguments after the program name, e.g. <c>test --flake .#mediabox</c>.</summary>
    public IReadOnlyList<string> Arguments => Flake is null ? [ModeArgument] : [ModeArgument, "--flake", Flake];
}
