using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>Which configuration repository a restore or a validation started from the TUI works on.</summary>
internal static class ConfigRepo
{
    /// <summary>
    /// The one named with --repo, else <paramref name="own"/> (the repository an event is about), else the
    /// one of the host's latest recorded change (below <paramref name="beforeSeq"/> when given), else
    /// /etc/nixos (as the commands do).
    /// </summary>
    public static async Task<string> ResolveAsync(LedgerStore store, string? option, string host, string? own = null, long? beforeSeq = null, CancellationToken ct = default)
    {
        if (option is { Length: > 0 })
        {
            return option;
        }

        if (own is not null)
        {
            return own;
        }

        var latest = await store.TimelineAsync(new TimelineQuery { Host = host, Kinds = ["config-edit"], BeforeSeq = beforeSeq, Limit = 1 }, ct);
        return latest is [{ Data: ConfigEdited c }] ? c.Repo : "/etc/nixos";
    }
}
