namespace Ledger.Core.Validation;

/// <summary>A GET of <see cref="Url"/> answers <see cref="ExpectStatus"/> (and its body contains <see cref="Contains"/>, when set).</summary>
public sealed record HttpCheck(string Name, TimeSpan Timeout, Uri Url, int ExpectStatus, string? Contains)
    : CheckDefinition(Name, Timeout)
{
    public const int DefaultExpectStatus = 200;

    public override string Kind => CheckKinds.Http;
}
