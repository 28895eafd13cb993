using Ledger.Cli;

if (HookHandOff.Target(args, Environment.GetEnvironmentVariable) is { } hook && await HookHandOff.TryRunAsync(hook, args) is { } exitCode)
{
    return exitCode;
}

return await LedgerApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
