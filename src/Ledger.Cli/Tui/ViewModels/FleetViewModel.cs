using System.Globalization;
using Ledger.App.Rendering;
using Ledger.Store;
using Ledger.Store.Fleet;

namespace Ledger.Cli.Tui.ViewModels;

/// <summary>
/// The TUI's <c>F</c>: one line per host of the ledger (the fleet on one database): open alerts,
/// the last deploy and its outcome, the last configuration change. Enter shows that host's
/// timeline. Read without walking the chain (<c>ledger fleet hosts</c> verifies).
/// </summary>
internal sealed class FleetViewModel
{
    private FleetViewModel(IReadOnlyList<FleetHost> hosts, TimeZoneInfo zone)
    {
        Hosts = hosts;
        var hostWidth = Math.Clamp(hosts.Count == 0 ? 4 : hosts.Max(h => h.Host.Length), 4, 16);
        var deploys = hosts.Select(h => h.LastDeployAt is { } at ? $"{TextTable.LocalTime(at, zone)} {h.LastDeployOutcome}" : "-").ToList();
        var deployWidth = Math.Max("LAST DEPLOY".Length, deploys.Count == 0 ? 0 : deploys.Max(d => d.Length));
        // StyledLine.Of: host names and commit messages are recorded text, shown inert.
        Header = $"{"HOST".PadRight(hostWidth)} ALERTS {"LAST DEPLOY".PadRight(deployWidth)} LAST CHANGE";
        Lines = hosts.Select((h, i) => StyledLine.Of(
            $"{Ledger.Core.Text.Fitting.Cut(h.Host, hostWidth).PadRight(hostWidth)} {h.OpenAlerts.ToString(CultureInfo.InvariantCulture),6} {deploys[i].PadRight(deployWidth)} "
            + (h.LastChangeAt is { } changed ? $"{TextTable.LocalTime(changed, zone)} {h.LastChange}" : "-"),
            ToneOf(h))).ToList();
    }

    public IReadOnlyList<FleetHost> Hosts { get; }

    public string Header { get; }

    public IReadOnlyList<StyledLine> Lines { get; }

    public int Selected { get; private set; }

    public FleetHost? Current => Hosts.Count == 0 ? null : Hosts[Selected];

    public static async Task<FleetViewModel> LoadAsync(LedgerStore store, TimeZoneInfo zone) =>
        new(await store.Fleet.HostsAsync(DateTimeOffset.UtcNow, verify: false), zone);

    public void Move(int delta)
    {
        if (Hosts.Count > 0)
        {
            Selected = Math.Clamp(Selected + delta, 0, Hosts.Count - 1);
        }
    }

    /// <summary>Red for a failed last deploy, yellow for open alerts, green when neither.</summary>
    private static Tone ToneOf(FleetHost h) =>
        h.LastDeployOutcome is { } outcome && outcome != "succeeded" ? Tone.Bad
        : h.OpenAlerts > 0 ? Tone.Warn
        : Tone.Good;
}
