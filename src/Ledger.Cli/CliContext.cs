using Ledger.App.Settings;
using Ledger.Capture.Processes;
using Ledger.Core.Errors;
using Ledger.Core.Events;
using Ledger.Store;
using Ledger.Store.Embedded;
using Serilog;

namespace Ledger.Cli;

/// <summary>
/// What every command needs: output writers, the environment, the resolved settings and the way
/// to open the store. Built once per invocation by <see cref="LedgerApp"/>.
/// </summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, Func<string, string?> env, string? db, bool verbose, ILogger log)
    {
        Out = output;
        Err = error;
        Env = env;
        ExplicitDb = string.IsNullOrWhiteSpace(db) ? env("LEDGER_DB") : db;
        Verbose = verbose;
        Log = log;
        Home = LedgerHome.Resolve(env);
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public Func<string, string?> Env { get; }

    /// <summary>The connection string from --db or LEDGER_DB; null means the embedded database.</summary>
    public string? ExplicitDb { get; }

    public bool Verbose { get; }

    public ILogger Log { get; }

    /// <summary>$LEDGER_HOME, else ~/.local/share/ledger, else (as root) /var/lib/ledger.</summary>
    public string Home { get; }

    /// <summary>Whether this process writes to a real terminal (progress bars, colours).</summary>
    public bool IsTerminal => ReferenceEquals(Ledger.Core.Text.InertWriter.Unwrap(Out), Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Where check results are printed: <see cref="Out"/>, with PASS/FAIL/ERROR coloured on a terminal (<see cref="Output.StatusColourWriter"/>).</summary>
    public TextWriter StatusOut => Output.StatusColourWriter.Wanted(this) ? new Output.StatusColourWriter(Out, Ledger.Core.Text.InertWriter.Unwrap(Out)) : Out;

    public string Actor => ActorInfo.Resolve(Env, Environment.UserName);

    public string DefaultHost => LedgerHome.DefaultHost(Env);

    /// <summary>The embedded cluster under <see cref="Home"/>; a home that cannot hold one (a file) is refused here, with what to do.</summary>
    public EmbeddedPostgres Embedded
    {
        get
        {
            var pg = new EmbeddedPostgres(Home, ProgramRunner.Default);
            pg.CheckHome();
            return pg;
        }
    }

    /// <summary>The time zone of --time-zone, else $LEDGER_TIME_ZONE, else this machine's (the host's configured time.timeZone on NixOS).</summary>
    public TimeZoneInfo ResolveTimeZone(string? option)
    {
        var id = option is { Length: > 0 } ? option : Env("LEDGER_TIME_ZONE");
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new LedgerException($"Unknown time zone '{id}': use an IANA name such as Europe/Berlin or UTC (see timedatectl list-timezones).");
        }
    }

    public Programs Programs => Programs.FromEnvironment(Env);

    /// <summary>
    /// Retries of transient database errors, from LEDGER_DB_RETRY_SECONDS (default 30 s, 0 = off);
    /// each retry is one line on stderr and in the log.
    /// </summary>
    /// <summary>Set by full-screen verbs (the TUI): a retry line on stderr would draw over the screen, so it goes to the log only.</summary>
    public bool RetriesToLogOnly { get; set; }

    public RetryPolicy Retry => RetryPolicy.FromSetting(Env(RetryPolicy.EnvironmentVariable)) with
    {
        Report = line =>
        {
            Log.Warning("Database retry: {Line}", line);
            if (!RetriesToLogOnly)
            {
                Err.WriteLine($"ledger: {line}");
            }
        },
    };

    /// <summary>Opens the store: the given connection string, or the embedded cluster (created and started on first use).</summary>
    public async Task<LedgerStore> OpenStoreAsync(CancellationToken ct) => await LedgerStore.OpenAsync(await ConnectionStringAsync(ct), Retry, ct);

    /// <summary>The connection string of --db / LEDGER_DB, or of the embedded cluster (created and started on first use).</summary>
    public async Task<string> ConnectionStringAsync(CancellationToken ct)
    {
        if (ExplicitDb is { } cs)
        {
            Log.Debug("Opening database from --db/LEDGER_DB");
            return cs;
        }

        var embedded = Embedded;
        if (embedded.State != ClusterState.Running)
        {
            Log.Information("Starting the embedded PostgreSQL under {Home}", embedded.Home);
            if (IsTerminal)
            {
                Err.WriteLine($"Starting the embedded PostgreSQL under {embedded.Home} ...");
            }
        }

        await embedded.StartAsync(ct);
        return embedded.ConnectionString();
    }
}
