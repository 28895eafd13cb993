using Ledger.Cli;

return await LedgerApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
