using Ledger.App.Daemon;
using Ledger.Capture.Processes;
using Ledger.Store;
using Ledger.Store.Spool;
using Serilog;

namespace Ledger.Cli.Serve;

/// <summary>What the daemon's endpoints and jobs share: the store, who and what they record for, and the log.</summary>
internal sealed record ServeContext(
    LedgerStore Store,
    ServeSettings Settings,
    string Host,
    string Home,
    Programs Programs,
    ServeMetrics Metrics,
    ILogger Log)
{
    /// <summary>The actor of everything the daemon records.</summary>
    public const string Actor = "ledger-serve";

    /// <summary>The bearer token the webhook requires; null: none.</summary>
    public string? WebhookToken { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where events wait while the database cannot be reached (<c>$LEDGER_HOME/spool</c>), delivered by the <c>spool</c> schedule.</summary>
    public EventSpool Spool => new(Home);

    /// <summary>The GPU collector the snapshot job reuses (NVML kept open); null: a new one each time.</summary>
    public Ledger.Capture.Gpu.GpuCollector? Gpu { get; init; }
}
