using Ledger.Capture.Nixos;
using Ledger.Capture.Processes;
using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.App.Generations;

/// <summary>
/// Records a switch of the system profile that Ledger did not make itself (<c>nixos-rebuild</c> by
/// hand, <c>--rollback</c>, another deploy tool) as <see cref="GenerationActivated"/>, with what it
/// changed: the daemon looks every minute, <c>ledger record generation</c> on demand.
/// </summary>
internal sealed class GenerationWatch(LedgerStore store, Programs programs, string host, string actor)
{
    /// <summary>The outcome of one look: the event recorded (null when nothing changed) and what to say.</summary>
    public sealed record Look(GenerationActivated? Recorded, string Message);

    public async Task<Look> LookAsync(TextWriter? progress, CancellationToken ct)
    {
        var inspector = new GenerationInspector(programs);
        if (inspector.Current() is not { } now)
        {
            return new Look(null, $"No system generation at {programs.SystemProfile} (not NixOS, or set LEDGER_SYSTEM_PROFILE); nothing recorded.");
        }

        var (lastSeq, last) = await store.LastGenerationAsync(host, ct);
        if (last == now)
        {
            return new Look(null, $"Generation {now} is already recorded (event #{lastSeq}).");
        }

        var change = await inspector.CompareAsync(last, now, active: false, ct);
        var e = new GenerationActivated(host, actor, last, now, change.PackageChanges, change.Version?.NixosVersion, change.Version?.NixpkgsRevision, change.Version?.ConfigurationRevision, change.Problem);
        var seq = await store.TryStartStreamAsync(new NewEvent(StreamKeys.Generation(host, now, lastSeq ?? 0), e), ct);
        if (seq is null)
        {
            return new Look(null, $"Generation {now} was recorded meanwhile by another observer.");
        }

        if (progress is not null)
        {
            await progress.WriteLineAsync(SwitchInspection.Describe(change));
        }

        return new Look(e, $"Recorded generation {(last is { } l ? $"{l} → " : "")}{now} as event #{seq}.");
    }
}
