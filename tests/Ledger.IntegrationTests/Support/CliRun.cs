using Ledger.Cli;

namespace Ledger.IntegrationTests.Support;

/// <summary>The result of running the ledger command in-process.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>Runs <c>ledger ARGS</c> in-process against a given database, with its own LEDGER_HOME.</summary>
public sealed class CliRun
{
    private readonly Dictionary<string, string?> _env;

    public CliRun(string? connectionString, string home, string host = "testhost", IReadOnlyDictionary<string, string?>? extra = null)
    {
        _env = new Dictionary<string, string?>
        {
            ["LEDGER_DB"] = connectionString,
            ["LEDGER_HOME"] = home,
            ["LEDGER_HOST"] = host,
            ["HOME"] = home,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            _env[k] = v;
        }
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LedgerApp.RunAsync(args, output, error, name => _env.TryGetValue(name, out var v) ? v : null);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
