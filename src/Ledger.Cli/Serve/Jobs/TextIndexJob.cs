using Ledger.Core.Text;
namespace Ledger.Cli.Serve.Jobs;

/// <summary>
/// Keeps the free-text index up with the events recorded since its last run: appends never
/// extract trigrams themselves (see <c>TextIndex</c> in Ledger.Store), the daemon does it here.
/// </summary>
internal sealed class TextIndexJob(TimeSpan interval, ServeContext serve) : IServeJob
{
    public string Name => "text";

    public TimeSpan Interval => interval;

    public bool RunAtStart => true;

    public async Task<string?> RunAsync(CancellationToken ct)
    {
        var indexed = await serve.Store.CatchUpTextIndexAsync(ct);
        return indexed == 0 ? null : $"indexed {Plural.Of(indexed, "event")} for text search";
    }
}
