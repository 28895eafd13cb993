using System.Text.RegularExpressions;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Processes;

namespace Ledger.Bench;

/// <summary>
/// <c>ledger serve</c> as a child process on a free loopback port, every schedule off, its log
/// kept: the daemon the git hook talks to, as <c>ledger init --hooks</c> sets it up.
/// </summary>
internal sealed partial class LedgerDaemon : IAsyncDisposable
{
    private static readonly string[] Schedules = ["gpu", "containers", "system", "storage", "validate", "seal", "git", "text", "metrics", "grafana"];

    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _log = [];
    private Task _running = Task.CompletedTask;

    private LedgerDaemon()
    {
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>What it logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>Starts it and waits (up to a minute) until it listens.</summary>
    public static async Task<LedgerDaemon> StartAsync(LedgerBinary ledger, string db, string repo, string host, string home, CancellationToken ct)
    {
        var daemon = new LedgerDaemon();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (exe, first) = ledger.Command;
        List<string> args = [.. first, "--db", db, "serve", "--listen", "127.0.0.1:0", "--repo", repo, "--host", host];
        foreach (var schedule in Schedules)
        {
            args.AddRange(["--every", schedule + "=0"]);
        }

        var call = new ProgramCall(exe, args)
        {
            // Plain log lines (not journald's form), and no serve.json but the bench's own.
            Environment = new Dictionary<string, string?> { ["LEDGER_HOME"] = home, ["JOURNAL_STREAM"] = null },
            OutputLines = line =>
            {
                lock (daemon._log)
                {
                    daemon._log.Add(line);
                }

                if (ListeningOn().Match(line) is { Success: true } m)
                {
                    listening.TrySetResult(new Uri(m.Groups[1].Value));
                }
            },
        };
        daemon._running = Task.Run(() => ProgramRunner.Default.RunAsync(call, daemon._stop.Token), CancellationToken.None);
        var started = await Task.WhenAny(listening.Task, daemon._running, Task.Delay(TimeSpan.FromMinutes(1), ct));
        if (started != listening.Task)
        {
            await daemon.DisposeAsync();
            throw new LedgerException($"ledger serve did not start listening. Its log:\n{daemon.Log}");
        }

        daemon.Url = await listening.Task;
        return daemon;
    }

    /// <summary>How many lines of its log contain <paramref name="text"/>, once that is at least <paramref name="expected"/> or a few seconds have passed.</summary>
    public async Task<int> CountAsync(string text, int expected)
    {
        for (var waited = 0; ; waited += 50)
        {
            var n = Regex.Count(Log, Regex.Escape(text));
            if (n >= expected || waited >= 5000)
            {
                return n;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningOn();
}
