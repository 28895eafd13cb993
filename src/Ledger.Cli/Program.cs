using Ledger.Cli;

if (HookHandOff.Target(args, Environment.GetEnvironmentVariable) is { } hook)
{
    HookHandOff.TryBecome(hook, args);
}

return await LedgerApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
