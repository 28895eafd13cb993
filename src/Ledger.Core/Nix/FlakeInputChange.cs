namespace Ledger.Core.Nix;

/// <summary>
/// How one direct input of a flake moved in a commit's <c>flake.lock</c>. <paramref name="Change"/>
/// is <c>updated</c>, <c>added</c> or <c>removed</c>; a rev is <c>locked.rev</c>, or
/// <c>locked.narHash</c> for an input without one (a path or tarball); lastModified is ISO 8601
/// (UTC) or null; ref is <c>original.ref</c> (a channel or branch such as <c>nixos-24.11</c>).
/// </summary>
public sealed record FlakeInputChange(
    string Input,
    string Change,
    string? OldRev,
    string? NewRev,
    string? OldLastModified,
    string? NewLastModified,
    string? OldRef,
    string? NewRef);
