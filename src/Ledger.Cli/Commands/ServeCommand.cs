using System.CommandLine;
using Ledger.App.Daemon;
using Ledger.Capture.Gpu;
using Ledger.Cli.Logging;
using Ledger.Cli.Serve;
using Ledger.Core.Errors;
using Ledger.Store;

namespace Ledger.Cli.Commands;

internal static class ServeCommand
{
    /// <summary>
    /// How long SIGTERM or Ctrl+C leaves the daemon to stop before the command line gives up on it:
    /// longer than any shutdownSeconds, so requests in flight always get their answer.
    /// </summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(ServeSettingsReader.MaxShutdownSeconds + 15);

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var listen = new Option<string?>("--listen") { Description = $"ADDR:PORT to listen on (default: serve.json's listen, else {ServeSettings.DefaultListen})" };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the bearer token the webhook requires (else $LEDGER_WEBHOOK_TOKEN, else serve.json's tokenFile; none: no token)" };
        var config = new Option<string?>("--config") { Description = "The daemon's settings (default: $LEDGER_HOME/serve.json, if it exists)" };
        var every = new Option<string[]>("--every") { Description = "A schedule, NAME=SECONDS (0: off), repeatable; names: " + string.Join(", ", ServeIntervals.Names) };
        var repo = new Option<string?>("--repo", "-r") { Description = "The configuration repository git watch follows (default: serve.json's repo, else /etc/nixos)" };
        var logFile = new Option<string?>("--log-file") { Description = "Also log to this file, rolled daily (default: serve.json's logFile, else the console only)" };
        var host = CommonOptions.RecordHost();
        var command = new Command("serve", "Run the daemon: Alertmanager webhook, Prometheus metrics, health, scheduled snapshots and validations, git watch")
        {
            listen, tokenFile, config, every, repo, logFile, host,
        };
        command.SetAction(async (r, ct) =>
        {
            var ctx = context(r);
            var settings = Resolve(r, ctx, listen, config, every, repo, logFile, host);
            var address = ListenAddress.Parse(settings.Listen);
            var token = ReadToken(r.GetValue(tokenFile), ctx.Env, settings.TokenFile);

            using var log = LedgerLogging.ForDaemon(settings, ctx.Env, ctx.Out, ctx.Verbose);
            await using var store = await OpenWhenReachableAsync(ctx, log, ct);

            // The daemon keeps NVML initialised between GPU snapshots (shut down when it stops).
            using var gpu = new GpuCollector(ctx.Programs.GpuOptions with { KeepNvmlOpen = true });
            var serve = new ServeContext(store, settings, settings.Host ?? ctx.DefaultHost, ctx.Home, ctx.Programs, new ServeMetrics(settings.Host ?? ctx.DefaultHost, TimeProvider.System), log)
            {
                WebhookToken = token,
                Gpu = gpu,
            };

            ServeHost server;
            try
            {
                server = await ServeHost.StartAsync(serve, address, ct);
            }
            catch (IOException e)
            {
                throw new LedgerException($"Cannot listen on {address}: {e.Message} Pick another --listen, or stop what uses that port.");
            }

            await using (server)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, server.Stopping);
                try
                {
                    await Task.Delay(Timeout.Infinite, either.Token);
                }
                catch (OperationCanceledException)
                {
                    // SIGTERM, Ctrl+C, or the host stopped by itself.
                }

                await server.StopAsync();
            }

            return ct.IsCancellationRequested ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>
    /// The store, once the database answers: a daemon started while its (central) database is out of
    /// reach waits for it, saying so every minute, instead of exiting; the hook meanwhile spools what
    /// it cannot hand over. Any other failure (a refused login, a wrong database) ends it at once.
    /// </summary>
    private static async Task<LedgerStore> OpenWhenReachableAsync(CliContext ctx, Serilog.ILogger log, CancellationToken ct)
    {
        var since = DateTime.UtcNow;
        var said = DateTime.MinValue;
        while (true)
        {
            try
            {
                return await ctx.OpenStoreAsync(ct);
            }
            catch (Exception e) when (DatabaseErrors.IsUnreachable(e) && !ct.IsCancellationRequested)
            {
                if (DateTime.UtcNow - said >= TimeSpan.FromMinutes(1))
                {
                    log.Warning("The database cannot be reached ({Reason}); waiting for it since {Since:u}, trying every 5 s", DatabaseErrors.DescribeUnreachable(e), since);
                    said = DateTime.UtcNow;
                }

                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            }
        }
    }

    private static ServeSettings Resolve(
        ParseResult r,
        CliContext ctx,
        Option<string?> listen,
        Option<string?> config,
        Option<string[]> every,
        Option<string?> repo,
        Option<string?> logFile,
        Option<string?> host)
    {
        var path = r.GetValue(config);
        var settings = ServeSettingsReader.Load(Path.GetFullPath(path ?? Path.Combine(ctx.Home, "serve.json")), mustExist: path is not null);
        var intervals = settings.Intervals;
        foreach (var e in r.GetValue(every) ?? [])
        {
            intervals = ServeSettingsReader.ApplyEvery(intervals, e);
        }

        return settings with
        {
            Listen = r.GetValue(listen) ?? settings.Listen,
            Repo = r.GetValue(repo) ?? settings.Repo,
            LogFile = r.GetValue(logFile) ?? settings.LogFile,
            Host = r.GetValue(host) ?? settings.Host,
            Intervals = intervals,
        };
    }

    /// <summary>The webhook's token: --token-file, else LEDGER_WEBHOOK_TOKEN, else serve.json's tokenFile; null when none is given.</summary>
    public static string? ReadToken(string? flagFile, Func<string, string?> env, string? settingsFile)
    {
        if (flagFile is null && env("LEDGER_WEBHOOK_TOKEN") is { Length: > 0 } fromEnv)
        {
            return fromEnv.Trim();
        }

        var file = flagFile ?? settingsFile;
        if (file is null)
        {
            return null;
        }

        string token;
        try
        {
            token = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Cannot read the webhook token file {file}: {e.Message}");
        }

        return token.Length > 0 ? token : throw new LedgerException($"The webhook token file {file} is empty; put the token in it, or give no token file.");
    }
}
