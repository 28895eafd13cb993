namespace Ledger.App.Daemon;

/// <summary>
/// Everything <c>ledger serve</c> is told: serve.json (<see cref="ServeSettingsReader"/>), then
/// the flags on top. docs/operations.md ("The daemon") lists every field.
/// </summary>
internal sealed record ServeSettings
{
    public const string DefaultListen = "127.0.0.1:9977";

    public const long DefaultMaxBodyBytes = 1024 * 1024;

    public string Listen { get; init; } = DefaultListen;

    /// <summary>A file holding the bearer token the webhook requires (flag, else LEDGER_WEBHOOK_TOKEN, else this).</summary>
    public string? TokenFile { get; init; }

    /// <summary>The largest webhook body accepted; a larger one gets 413.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>The host the daemon records for (default: LEDGER_HOST, else this machine's name).</summary>
    public string? Host { get; init; }

    /// <summary>The configuration repository git watch follows and validations name the commit of.</summary>
    public string Repo { get; init; } = "/etc/nixos";

    /// <summary>The checklist of scheduled validations (default: $LEDGER_HOME/checks.json).</summary>
    public string? Checks { get; init; }

    /// <summary>A log file besides the console (rolled daily, 14 kept); null: console only.</summary>
    public string? LogFile { get; init; }

    /// <summary>How long a stop waits for requests in flight and jobs to finish.</summary>
    public int ShutdownSeconds { get; init; } = 25;

    public ServeIntervals Intervals { get; init; } = new();

    public GrafanaSettings? Grafana { get; init; }
}
