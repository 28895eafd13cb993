using Ledger.Core.Text;
namespace Ledger.Cli.Serve.Jobs;

/// <summary>Chains the events recorded since the last seal into the hash chain, as <c>ledger seal</c> does.</summary>
internal sealed class SealJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    public string Name => "seal";

    public TimeSpan Interval => interval;

    public bool RunAtStart => false;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        var result = await serve.Store.Chain.SealAsync(ct: ct);
        if (result.Sealed == 0 && result.HeldSeq is null)
        {
            return null;
        }

        return $"sealed {Plural.Of(result.Sealed, "event")}, head #{result.Head.Seq}" +
            (result.HeldSeq is { } held ? $"; {result.Unsealed} wait behind #{held}, held by a transaction still running" : "");
    }
}
