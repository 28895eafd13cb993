using System.Diagnostics;
using System.Text;
using Ledger.Core.Text;
using Ledger.Core.Validation;

namespace Ledger.Capture.Nixos;

/// <summary>
/// Puts a configuration in effect: <c>nixos-rebuild ACTION [--flake F]</c> in the repository, or
/// a switch to a recorded generation (<c>nix-env --profile P --switch-generation N</c>, then that
/// profile's <c>bin/switch-to-configuration switch</c>). Output is redacted and its tail kept.
/// </summary>
public sealed class NixosSwitcher
{
    public const int MaxTailChars = 8 * 1024;

    private readonly string _nixosRebuild;
    private readonly string _nixEnv;
    private readonly TimeSpan _timeout;

    public NixosSwitcher(string nixosRebuild = "nixos-rebuild", string nixEnv = "nix-env", TimeSpan? timeout = null)
    {
        _nixosRebuild = nixosRebuild;
        _nixEnv = nixEnv;
        _timeout = timeout ?? TimeSpan.FromMinutes(30);
    }

    public Task<SwitchResult> RebuildAsync(string action, string? flake, string workingDirectory, CancellationToken ct)
    {
        var args = new List<string> { action };
        if (!string.IsNullOrWhiteSpace(flake))
        {
            args.AddRange(["--flake", flake]);
        }

        return RunAsync(_nixosRebuild, args, workingDirectory, ct);
    }

    public async Task<SwitchResult> SwitchGenerationAsync(string profile, int generation, CancellationToken ct)
    {
        var set = await RunAsync(_nixEnv, ["--profile", profile, "--switch-generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)], "/", ct);
        if (!set.Succeeded)
        {
            return set;
        }

        var activate = await RunAsync(Path.Combine(profile, "bin", "switch-to-configuration"), ["switch"], "/", ct);
        return activate with { Duration = set.Duration + activate.Duration, OutputTail = Tail(set.OutputTail + activate.OutputTail), Command = set.Command + " && " + activate.Command };
    }

    private async Task<SwitchResult> RunAsync(string program, IReadOnlyList<string> args, string workingDirectory, CancellationToken ct)
    {
        var shown = $"{Path.GetFileName(program)} {string.Join(' ', args)}";
        var output = new StringBuilder();
        var sw = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            var call = new ProgramCall(program, args)
            {
                WorkingDirectory = workingDirectory,
                OutputLines = line =>
                {
                    lock (output)
                    {
                        output.Append(line).Append('\n');
                    }
                },
            };
            var result = await ProgramRunner.Default.RunAsync(call, timeout.Token);
            return new SwitchResult(result.ExitCode, Tail(output.ToString()), sw.Elapsed, shown);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SwitchResult(124, Tail(output + $"\n{shown} timed out after {_timeout.TotalMinutes:0} minutes and was killed.\n"), sw.Elapsed, shown);
        }
        catch (ProgramNotStartedException e)
        {
            throw new CaptureException($"{program} could not be started ({e.Reason}). Run this on the NixOS host, or set LEDGER_NIXOS_REBUILD / LEDGER_NIX_ENV.", inner: e);
        }
    }

    private static string Tail(string text) => OutputLimit.KeepTail(Redactor.Default.Redact(text), MaxTailChars).Text;
}
