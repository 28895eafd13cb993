namespace Ledger.Core.Validation;

/// <summary>
/// Every file under <see cref="Root"/> matching <see cref="Globs"/> (and none of
/// <see cref="Exclude"/>) starts with a comment naming its purpose, a date and how to roll back.
/// Patterns are relative to <see cref="Root"/>: <c>hardware-configuration.nix</c> matches only
/// the top-level file, <c>**/hardware-configuration.nix</c> matches it in any folder.
/// </summary>
public sealed record DocHeadersCheck(string Name, TimeSpan Timeout, string Root, IReadOnlyList<string> Globs, IReadOnlyList<string> Exclude)
    : CheckDefinition(Name, Timeout)
{
    public override string Kind => CheckKinds.DocHeaders;
}
