using System.Diagnostics;
using System.Globalization;
using Ledger.Core.Errors;

namespace Ledger.Store;

/// <summary>
/// How the store waits out a database that is briefly unavailable (restarted, failing over, busy
/// with a conflicting transaction): a few attempts with doubling waits that together fill
/// <see cref="Budget"/>. Only <see cref="DatabaseErrors.IsTransient"/> failures are retried; the
/// store makes every retried append idempotent (see <see cref="LedgerStore"/>), so a retry never
/// records an event twice.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Seconds to keep retrying for; 0 turns retries off.</summary>
    public const string EnvironmentVariable = "LEDGER_DB_RETRY_SECONDS";

    public const int DefaultSeconds = 30;

    public const int DefaultAttempts = 5;

    public RetryPolicy(int attempts, TimeSpan budget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, TimeSpan.Zero);
        Attempts = attempts;
        Budget = budget;
    }

    /// <summary>One attempt, no waiting: a failure surfaces at once.</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero);

    /// <summary>How many times an operation is tried in all (the first try included).</summary>
    public int Attempts { get; }

    /// <summary>The longest the waits add up to.</summary>
    public TimeSpan Budget { get; }

    /// <summary>Where each retry is announced, one line each (the CLI writes them to stderr).</summary>
    public Action<string>? Report { get; init; }

    /// <summary>
    /// False where waiting is worse than keeping the event for later (the git hook, the daemon's
    /// commit endpoint): a database that cannot be reached (<see cref="DatabaseErrors.IsUnreachable"/>)
    /// then fails at once, and the caller puts the event in the spool.
    /// </summary>
    public bool WaitsForUnreachable { get; init; } = true;

    /// <summary>Random numbers in [0, 1) that shorten each wait; tests pass fixed ones.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>
    /// The policy for <c>LEDGER_DB_RETRY_SECONDS</c>: unset means <see cref="DefaultSeconds"/>, 0 means
    /// no retries, anything else must be a whole number of seconds.
    /// </summary>
    public static RetryPolicy FromSetting(string? seconds)
    {
        if (string.IsNullOrWhiteSpace(seconds))
        {
            return new RetryPolicy(DefaultAttempts, TimeSpan.FromSeconds(DefaultSeconds));
        }

        if (!int.TryParse(seconds.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s > 3600)
        {
            throw new StoreException($"{EnvironmentVariable}={seconds}: expected a whole number of seconds from 0 (no retries) to 3600.");
        }

        return s == 0 ? None : new RetryPolicy(DefaultAttempts, TimeSpan.FromSeconds(s));
    }

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/> (2 to <see cref="Attempts"/>). The budget is
    /// split in doubling steps (1, 2, 4, 8 parts of 15 for five attempts), and each wait is shortened
    /// by up to half of itself at random (<paramref name="jitter"/> in [0, 1)), so that writers that
    /// failed together do not all come back at the same instant.
    /// </summary>
    public TimeSpan DelayBefore(int attempt, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attempt, Attempts);
        var parts = (1L << (Attempts - 1)) - 1;
        var full = Budget.TotalMilliseconds * (1L << (attempt - 2)) / parts;
        return TimeSpan.FromMilliseconds(Math.Round(full * (1 - (Math.Clamp(jitter, 0, 1) / 2))));
    }

    /// <summary>
    /// <see cref="RunAsync{T}(string, Func{int, Task{T}}, Func{Exception, bool}?, Func{Task}?, CancellationToken)"/>
    /// for the transient errors, over <paramref name="dataSource"/>: before each retry its idle
    /// pooled connections are dropped, as they died with the server.
    /// </summary>
    internal Task<T> RunAsync<T>(string what, NpgsqlDataSource dataSource, Func<int, Task<T>> operation, CancellationToken ct) =>
        RunAsync(
            what,
            operation,
            null,
            () =>
            {
                dataSource.Clear();
                return Task.CompletedTask;
            },
            ct);

    /// <summary>
    /// Runs <paramref name="operation"/> (given the attempt number, from 1) until it succeeds, fails
    /// with something not transient, or runs out of attempts. <paramref name="beforeRetry"/> runs
    /// after each wait (the store drops pooled connections that died with the server).
    /// </summary>
    internal async Task<T> RunAsync<T>(string what, Func<int, Task<T>> operation, Func<Exception, bool>? isTransient, Func<Task>? beforeRetry, CancellationToken ct)
    {
        isTransient ??= DatabaseErrors.IsTransient;
        var clock = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(attempt);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && isTransient(e) && (WaitsForUnreachable || !DatabaseErrors.IsUnreachable(e)))
            {
                if (attempt >= Attempts)
                {
                    if (Attempts == 1)
                    {
                        throw;
                    }

                    throw new StoreException(
                        $"{Capitalise(what)} failed {Attempts} times in {clock.Elapsed.TotalSeconds:0} s ({DatabaseErrors.Describe(e)}). " +
                        "Events are appended in whole transactions and retries never record one twice, so nothing was half-written; " +
                        "what was acknowledged is stored. Check the database ('ledger db status'), then run the command again: it records only what is missing " +
                        $"({EnvironmentVariable} sets how long to keep trying).",
                        ExitCodes.UsageOrEnvironment,
                        e);
                }

                var wait = DelayBefore(attempt + 1, Jitter());
                Report?.Invoke(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{what} failed ({DatabaseErrors.Describe(e)}), attempt {attempt}/{Attempts}; waiting {wait.TotalSeconds:0.0} s before trying again"));
                await Task.Delay(wait, ct);
                if (beforeRetry is not null)
                {
                    await beforeRetry();
                }
            }
        }
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
