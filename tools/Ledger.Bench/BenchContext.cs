using Ledger.Core.Events;
using Ledger.Store;

namespace Ledger.Bench;

/// <summary>What every benchmark command needs: output writers, the environment, the database and the ledger to run.</summary>
internal sealed class BenchContext
{
    private readonly string? _db;
    private readonly string? _ledger;

    public BenchContext(TextWriter output, TextWriter error, Func<string, string?> env, string? db, string? ledger)
    {
        Out = output;
        Err = error;
        Env = env;
        _db = string.IsNullOrWhiteSpace(db) ? env("LEDGER_DB") : db;
        _ledger = ledger;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public Func<string, string?> Env { get; }

    public string Actor => ActorInfo.Resolve(Env, Environment.UserName);

    /// <summary>The ledger the whole-process workloads run (resolved when first needed).</summary>
    public LedgerBinary Ledger => field ??= LedgerBinary.Resolve(_ledger, Env);

    /// <summary>Retries of transient database errors, as ledger takes them from LEDGER_DB_RETRY_SECONDS; each retry is one line on stderr.</summary>
    public RetryPolicy Retry => RetryPolicy.FromSetting(Env(RetryPolicy.EnvironmentVariable)) with { Report = line => Err.WriteLine($"ledger-bench: {line}") };

    /// <summary>
    /// --db or LEDGER_DB, else the embedded database: where it lives and how it starts is ledger's
    /// business, so ledger is asked (<c>ledger db url</c> starts it when needed).
    /// </summary>
    public async Task<string> ConnectionStringAsync(CancellationToken ct) =>
        _db ?? ConnectionStrings.Normalize((await Ledger.RunAsync(["db", "url"], null, ct)).Trim());
}
