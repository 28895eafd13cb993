using Ledger.Bench;

return await BenchApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
