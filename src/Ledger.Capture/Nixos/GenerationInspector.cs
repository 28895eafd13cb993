using System.Globalization;
using Ledger.Capture.Host;
using Ledger.Core.Nix;
using Ledger.Core.Text;
using Ledger.Core.Validation;

namespace Ledger.Capture.Nixos;

/// <summary>
/// Reads what a switch changed: the system profile's generation, the closure difference between
/// two generations (<c>nix store diff-closures</c> of their profile links, or <c>nvd diff</c> when
/// LEDGER_NVD names nvd) and the new
/// generation's <c>nixos-version --json</c> (its own <c>sw/bin/nixos-version</c>, which knows the
/// versions it was built with, else the one on PATH when that generation is the running one).
/// Nothing here stops a deploy: what cannot be read is said in <see cref="SystemChange.Problem"/>.
/// </summary>
public sealed class GenerationInspector
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly Programs _programs;

    public GenerationInspector(Programs programs)
    {
        _programs = programs;
    }

    /// <summary>The generation the system profile points at now, or null when there is none (not NixOS).</summary>
    public int? Current() => SystemReader.Generation(_programs.SystemProfile);

    /// <summary>The profile link of a generation: <c>/nix/var/nix/profiles/system-42-link</c>.</summary>
    public string LinkOf(int generation) => $"{_programs.SystemProfile}-{generation.ToString(CultureInfo.InvariantCulture)}-link";

    /// <param name="active">The new generation is the running system (switch, test), so the nixos-version on PATH speaks for it.</param>
    public async Task<SystemChange> CompareAsync(int? from, int? to, bool active, CancellationToken ct)
    {
        if (to is not { } now)
        {
            return new SystemChange(from, null, null, null, $"no system generation at {_programs.SystemProfile} (not NixOS?): package changes are not recorded");
        }

        var problems = new List<string>();
        IReadOnlyList<PackageChange>? packages = null;
        if (from is not { } before)
        {
            problems.Add("no earlier generation to compare with");
        }
        else if (before == now)
        {
            packages = [];
        }
        else
        {
            var tool = _programs.Nvd is null ? "nix store diff-closures" : "nvd diff";
            var (diff, problem) = _programs.Nvd is { } nvd
                ? await RunAsync(nvd, ["diff", LinkOf(before), LinkOf(now)], ct)
                : await RunAsync(_programs.Nix, ["--extra-experimental-features", "nix-command", "store", "diff-closures", LinkOf(before), LinkOf(now)], ct);
            if (diff is not null)
            {
                var (changes, unread) = _programs.Nvd is null ? ClosureDiff.Parse(diff) : NvdDiff.Parse(diff);
                packages = changes;
                if (unread.Count > 0)
                {
                    problems.Add($"{unread.Count} line(s) of {tool} not understood, first: {unread[0]}");
                }
            }
            else
            {
                problems.Add(problem!);
            }
        }

        var own = Path.Combine(LinkOf(now), "sw", "bin", "nixos-version");
        NixosVersionInfo? version = null;
        if (File.Exists(own) || active)
        {
            var (json, problem) = await RunAsync(File.Exists(own) ? own : _programs.NixosVersion, ["--json"], ct);
            var (info, parseProblem) = json is null ? (null, problem) : NixosVersionInfo.Parse(json);
            version = info;
            if (parseProblem is not null)
            {
                problems.Add(parseProblem);
            }
        }

        return new SystemChange(from, now, packages, version, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>The program's standard output (redacted), or why there is none.</summary>
    private static async Task<(string? Output, string? Problem)> RunAsync(string program, IReadOnlyList<string> args, CancellationToken ct)
    {
        var call = new ProgramCall(program, args);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var result = await ProgramRunner.Default.RunAsync(call, timeout.Token);
            return result.ExitCode == 0
                ? (Redactor.Default.Redact(result.StandardOutput), null)
                : (null, $"{call.Shown} exited {result.ExitCode}: {OutputLimit.KeepTail(Redactor.Default.Redact(result.StandardError.Trim()), 300).Text}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"{call.Shown} did not finish within {Timeout.TotalMinutes:0} minutes");
        }
        catch (ProgramNotStartedException e)
        {
            return (null, $"{Path.GetFileName(program)} could not be started ({e.Reason}); set LEDGER_NIX / LEDGER_NIXOS_VERSION if it is elsewhere");
        }
    }
}
