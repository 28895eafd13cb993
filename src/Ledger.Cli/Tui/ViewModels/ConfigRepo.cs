using Ledger.Core.Events;
using Ledger.Core.Timeline;
using Ledger.Store;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>Which configuration repository a restore or a validation started from the TUI works on.</summary>
internal static class ConfigRepo
{
    /// <summary>
    /// The repository to restore: the one named with --repo, else the one the event is about, else the
    /// one of the host's latest recorded change up to the event.
    /// </summary>
    public static Task<string> ForRestoreAsync(LedgerStore store, string? option, TimelineEntry target, CancellationToken ct = default)
    {
        var own = target.Data switch
        {
            ConfigEdited c => c.Repo,
            DeployStarted d => d.Repo,
            DeployFinished d => d.Repo,
            RestoreStarted r => r.Repo,
            RestoreCompleted r => r.Repo,
            _ => null,
        };
        return ResolveAsync(store, option, target.Host, own, beforeSeq: target.Seq + 1, ct);
    }

    /// <summary>
    /// The repository validated: the one named with --repo, else the one of the host's latest recorded
    /// change, else /etc/nixos (as <c>ledger validate</c>).
    /// </summary>
    public static Task<string> ForValidationAsync(LedgerStore store, string? option, string host, CancellationToken ct = default) =>
        ResolveAsync(store, option, host, own: null, beforeSeq: null, ct);

    private static async Task<string> ResolveAsync(LedgerStore store, string? option, string host, string? own, long? beforeSeq, CancellationToken ct)
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
