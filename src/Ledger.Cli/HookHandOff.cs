using System.Runtime.InteropServices;
using Ledger.App.Recording;

namespace Ledger.Cli;

/// <summary>
/// <c>ledger import-git</c> runs in <c>ledger-hook</c> when it lies beside this executable (a
/// published Ledger): compiled ahead of time, it imports without a JIT and without Marten's
/// start-up, and hands back (with <see cref="HookInstaller.HandedOverVariable"/> set) whatever it does not do itself.
/// Decided before anything else is built, so the hand-off costs little more than the runtime's start.
/// </summary>
internal static partial class HookHandOff
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
    /// Becomes <paramref name="hook"/> (execv): the same process, arguments, environment and standard
    /// streams, so nothing of this runtime stays behind to wait for it. Returns only when the exec
    /// fails (not executable, built for another machine), and ledger then runs the command itself.
    /// </summary>
    public static void TryBecome(string hook, IReadOnlyList<string> args)
    {
        var argv = new string?[args.Count + 2];
        argv[0] = hook;
        for (int i = 0; i < args.Count; i++)
        {
            argv[i + 1] = args[i];
        }

        _ = Execv(hook, argv);
    }

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execv(string path, string?[] argv);
}
