using Ledger.Hook;

return await HookRunner.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
