using System.Text.Json;
using Ledger.Core.Events;
using Ledger.Store;
using Ledger.Store.Spool;
using Prometheus;

namespace Ledger.Cli.Serve;

/// <summary>
/// What <c>GET /metrics</c> exposes. Values read from the database are refreshed by a schedule
/// (<see cref="RefreshAsync"/>) and cached here, so a scrape costs no query however large the
/// event table grows; only the snapshot ages are computed at scrape time, from cached timestamps.
/// Each daemon has its own registry (the demo and the tests run several in one process).
/// </summary>
internal sealed class ServeMetrics
{
    public static readonly IReadOnlyDictionary<string, string> SnapshotTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gpu"] = "gpu_snapshot_taken",
        ["containers"] = "container_snapshot_taken",
        ["storage"] = "storage_snapshot_taken",
        ["system"] = "system_snapshot_taken",
    };

    private static readonly string[] DeployOutcomes = Enum.GetNames<DeployOutcome>().Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray();

    private static readonly string[] ValidationStatuses = Enum.GetNames<ValidationStatus>().Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray();

    private readonly string _host;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _snapshotTimes = new(StringComparer.Ordinal);

    private readonly Gauge _events;
    private readonly Gauge _databaseUp;
    private readonly Gauge _refreshed;
    private readonly Gauge _deployTime;
    private readonly Gauge _deployOutcome;
    private readonly Gauge _validationTime;
    private readonly Gauge _validationChecks;
    private readonly Gauge _restoreTime;
    private readonly Gauge _restoreSuccess;
    private readonly Gauge _chainHead;
    private readonly Gauge _chainSealed;
    private readonly Gauge _snapshotTime;
    private readonly Gauge _snapshotAge;

    public ServeMetrics(string host, TimeProvider clock)
    {
        _host = host;
        _clock = clock;
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        var later = new GaugeConfiguration { SuppressInitialValue = true };

        _events = f.CreateGauge("ledger_events", "Events stored, by type and kind (all hosts), as of the last refresh.", ["type", "kind"]);
        _databaseUp = f.CreateGauge("ledger_database_up", "1 when the last metrics refresh reached the database, else 0.");
        _refreshed = f.CreateGauge("ledger_metrics_refresh_timestamp_seconds", "When the metrics read from the database were last refreshed.", later);

        _deployTime = f.CreateGauge("ledger_last_deploy_timestamp_seconds", "When the host's last deploy finished.", ["host"], later);
        _deployOutcome = f.CreateGauge("ledger_last_deploy_outcome", "Outcome of the host's last deploy: 1 for the outcome it had, 0 for the others.", ["host", "outcome"], later);
        _validationTime = f.CreateGauge("ledger_last_validation_timestamp_seconds", "When the host's last validation run ended.", ["host"], later);
        _validationChecks = f.CreateGauge("ledger_last_validation_checks", "Checks of the host's last validation run, by status.", ["host", "status"], later);
        _restoreTime = f.CreateGauge("ledger_last_restore_timestamp_seconds", "When the host's last restore ended (completed or failed).", ["host"], later);
        _restoreSuccess = f.CreateGauge("ledger_last_restore_success", "1 when the host's last restore completed, 0 when it failed.", ["host"], later);
        _chainHead = f.CreateGauge("ledger_chain_head_sequence", "Sequence number of the last sealed event (only where the hash chain exists).", later);
        _chainSealed = f.CreateGauge("ledger_chain_head_sealed_timestamp_seconds", "When the last sealed event was sealed.", later);
        _snapshotTime = f.CreateGauge("ledger_last_snapshot_timestamp_seconds", "When the host's last snapshot of each kind was recorded.", ["host", "kind"], later);
        _snapshotAge = f.CreateGauge("ledger_last_snapshot_age_seconds", "Seconds since the host's last snapshot of each kind, at scrape time.", ["host", "kind"], later);

        WebhookRequests = f.CreateCounter("ledger_webhook_requests_total", "Alertmanager webhook requests, by HTTP status answered.", ["code"]);
        WebhookAlerts = f.CreateCounter("ledger_webhook_alerts_total", "Alerts received: recorded, duplicate (a repeat already recorded), or spooled (kept until the database answers).", ["result"]);
        JobRuns = f.CreateCounter("ledger_job_runs_total", "Runs of each scheduled job, by outcome (ok, error).", ["job", "outcome"]);
        JobLastSuccess = f.CreateGauge("ledger_job_last_success_timestamp_seconds", "When each scheduled job last ran without error.", ["job"], later);

        foreach (var outcome in new[] { "recorded", "duplicate", "spooled" })
        {
            WebhookAlerts.WithLabels(outcome);
        }

        Registry.AddBeforeCollectCallback(UpdateAges);
    }

    public CollectorRegistry Registry { get; }

    public Counter WebhookRequests { get; }

    public Counter WebhookAlerts { get; }

    public Counter JobRuns { get; }

    public Gauge JobLastSuccess { get; }

    /// <summary>
    /// Shows the spool at every scrape (one directory read): <c>ledger_spool_events</c>,
    /// <c>ledger_spool_bytes</c>, <c>ledger_spool_oldest_age_seconds</c> (0 when empty) and
    /// <c>ledger_spool_rejected_files</c>, so that an alert can say a host has been cut off.
    /// </summary>
    public void WatchSpool(EventSpool spool)
    {
        var f = Metrics.WithCustomRegistry(Registry);
        var events = f.CreateGauge("ledger_spool_events", "Events kept in the spool ($LEDGER_HOME/spool) until the database answers.");
        var bytes = f.CreateGauge("ledger_spool_bytes", "Size of the spooled events' files.");
        var age = f.CreateGauge("ledger_spool_oldest_age_seconds", "Seconds the oldest spooled event has waited (0: the spool is empty).");
        var rejected = f.CreateGauge("ledger_spool_rejected_files", "Spool files set aside in spool/rejected because they could not be read back.");
        Registry.AddBeforeCollectCallback(() =>
        {
            SpoolStatus status;
            try
            {
                status = spool.Status();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A folder this user cannot read: the gauges keep their last values rather than failing the scrape.
                return;
            }

            events.Set(status.Events);
            bytes.Set(status.Bytes);
            age.Set(status.OldestAge(_clock.GetUtcNow())?.TotalSeconds ?? 0);
            rejected.Set(status.Rejected);
        });
    }

    /// <summary>Reads what the metrics show from the database; on failure <c>ledger_database_up</c> drops to 0 and the rest keep their last values.</summary>
    public async Task RefreshAsync(LedgerStats stats, CancellationToken ct)
    {
        try
        {
            var counts = await stats.CountByTypeAsync(ct);
            var latest = await stats.LatestOfTypesAsync(
                _host,
                ["deploy_finished", "restore_completed", "restore_failed", .. SnapshotTypes.Values],
                ct);
            var validation = await stats.LatestValidationRunAsync(_host, ct);
            var chain = await stats.SealedHeadAsync(ct);
            Apply(counts, latest, validation, chain);
            _databaseUp.Set(1);
            _refreshed.SetToTimeUtc(_clock.GetUtcNow());
        }
        catch (StoreException)
        {
            _databaseUp.Set(0);
            throw;
        }
    }

    private void Apply(
        IReadOnlyDictionary<string, long> counts,
        IReadOnlyDictionary<string, Core.Timeline.TimelineEntry> latest,
        ValidationRunSummary? validation,
        SealedHead? chain)
    {
        foreach (var d in EventCatalogue.All)
        {
            _events.WithLabels(d.Alias, d.Kind).Set(counts.GetValueOrDefault(d.Alias));
        }

        foreach (var (type, n) in counts.Where(c => EventCatalogue.FindAlias(c.Key) is null))
        {
            // Written by a newer Ledger: counted under its own name.
            _events.WithLabels(type, type).Set(n);
        }

        if (latest.GetValueOrDefault("deploy_finished")?.Data is DeployFinished deploy)
        {
            _deployTime.WithLabels(_host).SetToTimeUtc(latest["deploy_finished"].Timestamp);
            var current = JsonNamingPolicy.CamelCase.ConvertName(deploy.Outcome.ToString());
            foreach (var outcome in DeployOutcomes)
            {
                _deployOutcome.WithLabels(_host, outcome).Set(outcome == current ? 1 : 0);
            }
        }

        if (validation is not null)
        {
            _validationTime.WithLabels(_host).SetToTimeUtc(validation.At);
            foreach (var status in ValidationStatuses)
            {
                _validationChecks.WithLabels(_host, status).Set(validation.Statuses.GetValueOrDefault(status));
            }
        }

        var completed = latest.GetValueOrDefault("restore_completed");
        var failed = latest.GetValueOrDefault("restore_failed");
        if ((completed?.Seq ?? 0) > (failed?.Seq ?? 0))
        {
            _restoreTime.WithLabels(_host).SetToTimeUtc(completed!.Timestamp);
            _restoreSuccess.WithLabels(_host).Set(1);
        }
        else if (failed is not null)
        {
            _restoreTime.WithLabels(_host).SetToTimeUtc(failed.Timestamp);
            _restoreSuccess.WithLabels(_host).Set(0);
        }

        if (chain is not null)
        {
            _chainHead.Set(chain.Seq);
            _chainSealed.SetToTimeUtc(chain.SealedAt);
        }

        lock (_lock)
        {
            foreach (var (kind, type) in SnapshotTypes)
            {
                if (latest.GetValueOrDefault(type) is { } snapshot)
                {
                    _snapshotTimes[kind] = snapshot.Timestamp;
                    _snapshotTime.WithLabels(_host, kind).SetToTimeUtc(snapshot.Timestamp);
                }
            }
        }
    }

    private void UpdateAges()
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var (kind, at) in _snapshotTimes)
            {
                _snapshotAge.WithLabels(_host, kind).Set(Math.Max(0, (now - at).TotalSeconds));
            }
        }
    }
}
