using System.Diagnostics;
using Ledger.App.Recording;

namespace Ledger.Cli;

/// <summary>
/// <c>ledger import-git</c> runs in <c>ledger-hook</c> when it lies beside this executable (a
/// published Ledger): compiled ahead of time, it imports without a JIT and without Marten's
/// start-up, and hands back (with <see cref="HookInstaller.HandedOverVariable"/> set) whatever it does not do itself.
/// Decided before anything else is built, so the hand-off costs little more than the runtime's start.
/// </summary>
internal static class HookHandOff
{
    /// <summary>The ledger-hook to run this command line, or null to run it here.</summary>
    public static string? Target(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var verb = args.Count >= 3 && args[0] == "--db" ? args[2] : args.Count > 0 ? args[0] : null;
        if (verb != "import-git" || !string.IsNullOrEmpty(env(HookInstaller.HandedOverVariable)))
        {
            return null;
        }

        var hook = Path.Combine(AppContext.BaseDirectory, HookInstaller.HookExecutable);
        return File.Exists(hook) && HookInstaller.HookRunsOnThisCpu() ? hook : null;
    }

    /// <summary>
    /// Runs <paramref name="hook"/> with the same arguments and standard streams and returns its
    /// exit code; null when it cannot be started (not executable, built for another machine), and
    /// ledger then runs the command itself.
    /// </summary>
    public static async Task<int?> TryRunAsync(string hook, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(hook) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
    }
}
