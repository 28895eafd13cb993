using System.Diagnostics;
using System.Globalization;

namespace Ledger.IntegrationTests.Support;

/// <summary>Long, realistic NixOS configuration histories, written by bench/make-nixos-history.py (real git, fast-import).</summary>
public static class GeneratedHistory
{
    /// <summary>The checkout's root: the folder above the test binaries that holds Ledger.sln.</summary>
    public static string RepositoryRoot => Checkout.Root;

    /// <summary>Writes <paramref name="commits"/> commits into <paramref name="dir"/> (created or an empty repository), deterministic for <paramref name="seed"/>.</summary>
    public static async Task WriteAsync(string dir, int commits, int seed)
    {
        var script = Path.Combine(RepositoryRoot, "bench", "make-nixos-history.py");
        var psi = new ProcessStartInfo("python3", [script, dir, commits.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        _ = await stdout;
        p.ExitCode.ShouldBe(0, $"make-nixos-history.py {dir} {commits}: {await stderr} (python3 is installed by .ci/run)");
    }
}
