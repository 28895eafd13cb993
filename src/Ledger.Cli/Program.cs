namespace Ledger.Cli;

internal static class Program
{
    // Not async: an async Main's state machine is compiled at start-up (not ahead of time), which
    // costs an import the milliseconds its hand-off to ledger-hook is meant to save.
    private static int Main(string[] args)
    {
        if (HookHandOff.Target(args, Environment.GetEnvironmentVariable) is { } hook)
        {
            HookHandOff.TryBecome(hook, args);
        }

        return LedgerApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable).GetAwaiter().GetResult();
    }
}
