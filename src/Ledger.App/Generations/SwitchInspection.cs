using Ledger.Capture.Nixos;
using Ledger.Core.Nix;

namespace Ledger.App.Generations;

/// <summary>What a deploy, restore or observed switch changed in the system, read and said once for all of them.</summary>
internal static class SwitchInspection
{
    /// <summary>Compares the generations before and after a switch and says what changed on the operation's progress.</summary>
    public static async Task<SystemChange> InspectAsync(OperationContext ctx, int? before, int? after, bool active, CancellationToken ct)
    {
        var change = await new GenerationInspector(ctx.Programs).CompareAsync(before, after, active, ct);
        await ctx.Progress.WriteLineAsync(Describe(change));
        return change;
    }

    /// <summary>
    /// <c>nixos-rebuild test</c> activates a system without making a generation, so the profile
    /// links cannot say what it changed; recorded as a reason rather than as "no change".
    /// </summary>
    public static async Task<SystemChange> UntrackedAsync(OperationContext ctx, int? generation, string action)
    {
        var change = new SystemChange(generation, generation, null, null, $"nixos-rebuild {action} makes no generation, so its package changes are not compared");
        await ctx.Progress.WriteLineAsync(Describe(change));
        return change;
    }

    /// <summary>"Packages (generation 41 → 42): 7 with a new version, 2 only in size: jellyfin 10.9.11 → 10.10.3, ..." and what could not be read.</summary>
    public static string Describe(SystemChange change)
    {
        var where = change.FromGeneration is { } f && change.ToGeneration is { } t && f != t ? $" (generation {f} → {t})" : "";
        var packages = change.PackageChanges switch
        {
            null => "not recorded",
            { Count: 0 } => "no change",
            var list => $"{list.Count(c => c.VersionsChanged)} with a new version" + (list.Count(c => !c.VersionsChanged) is > 0 and var sized ? $", {sized} only in size" : "")
                + (SystemChange.Summary(list, 5) is { Length: > 0 } s ? $": {s}" : ""),
        };
        var version = change.Version?.NixosVersion is { } v ? $"; NixOS {v}" : "";
        var problem = change.Problem is null ? "" : $" ({change.Problem})";
        return $"Packages{where}: {packages}{version}{problem}";
    }
}
