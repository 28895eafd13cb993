using System.Diagnostics;
using System.Text.Json;
using Ledger.IntegrationTests.Support;

namespace Ledger.IntegrationTests.Nix;

/// <summary>
/// Evaluates nix/module.nix through nix/tests/module-eval.nix (nixpkgs' lib.evalModules with stub
/// NixOS options) under Debian's nix-instantiate, with the nixpkgs lib of ../shared/nixpkgs-lib
/// (or $LEDGER_NIXPKGS_LIB).
/// </summary>
public static class NixModuleEval
{
    private static readonly string[] EvalFlags = ["--eval", "--strict", "--json"];

    public static string? NixInstantiate { get; } = FindProgram("nix-instantiate");

    /// <summary>nixpkgs' lib/ folder: $LEDGER_NIXPKGS_LIB, else shared/nixpkgs-lib/lib beside the checkout or above it.</summary>
    public static string? Lib { get; } = FindLib();

    /// <summary>Why the evaluation cannot run here, or null when it can.</summary>
    public static string? Missing =>
        NixInstantiate is null ? "nix-instantiate is not installed (CI installs Debian's nix-bin in .ci/nix-checks.sh)"
        : Lib is null ? "nixpkgs' lib is not at ../shared/nixpkgs-lib/lib (set LEDGER_NIXPKGS_LIB to its lib folder)"
        : null;

    /// <summary>The evaluation of <paramref name="configuration"/> (a Nix attribute set), or the error that stopped it.</summary>
    public static (int ExitCode, JsonElement? Result, string Error) Run(string configuration) =>
        Evaluate([Path.Combine(Checkout.Root, "nix", "tests", "module-eval.nix"), "--arg", "lib", $"import {Lib}", "--arg", "configuration", configuration]);

    /// <summary>
    /// The evaluation of a Nix expression in the checkout's root, with <c>lib</c> bound to nixpkgs'
    /// lib: <c>nix-instantiate --eval --strict --json -E 'let lib = import LIB; in EXPRESSION'</c>.
    /// </summary>
    public static (int ExitCode, JsonElement? Result, string Error) Expression(string expression) =>
        Evaluate(["-E", $"let lib = import {Lib}; in\n{expression}"]);

    private static (int ExitCode, JsonElement? Result, string Error) Evaluate(string[] arguments)
    {
        var state = Directory.CreateTempSubdirectory("ledger-nix-eval").FullName;
        try
        {
            var psi = new ProcessStartInfo(NixInstantiate!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Checkout.Root,
            };
            foreach (var a in EvalFlags.Concat(arguments))
            {
                psi.ArgumentList.Add(a);
            }

            // nix-instantiate wants a writable state folder even to evaluate.
            psi.Environment["NIX_STATE_DIR"] = Path.Combine(state, "state");
            psi.Environment["NIX_LOG_DIR"] = Path.Combine(state, "log");
            psi.Environment["HOME"] = state;
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            var result = p.ExitCode == 0 ? JsonDocument.Parse(stdout.Result).RootElement.Clone() : (JsonElement?)null;
            return (p.ExitCode, result, stderr);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static string? FindProgram(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    private static string? FindLib()
    {
        if (Environment.GetEnvironmentVariable("LEDGER_NIXPKGS_LIB") is { Length: > 0 } set)
        {
            return File.Exists(Path.Combine(set, "default.nix")) ? Path.GetFullPath(set) : null;
        }

        for (var dir = new DirectoryInfo(Checkout.Root); dir is not null; dir = dir.Parent)
        {
            var lib = Path.Combine(dir.FullName, "shared", "nixpkgs-lib", "lib");
            if (File.Exists(Path.Combine(lib, "default.nix")))
            {
                return lib;
            }
        }

        return null;
    }
}

/// <summary>A fact that evaluates the NixOS module; skipped, saying why, where nix-instantiate or nixpkgs' lib is missing.</summary>
public sealed class NixEvalFactAttribute : FactAttribute
{
    public NixEvalFactAttribute()
    {
        if (NixModuleEval.Missing is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A theory that evaluates the NixOS module; skipped, saying why, where nix-instantiate or nixpkgs' lib is missing.</summary>
public sealed class NixEvalTheoryAttribute : TheoryAttribute
{
    public NixEvalTheoryAttribute()
    {
        if (NixModuleEval.Missing is { } why)
        {
            Skip = why;
        }
    }
}
