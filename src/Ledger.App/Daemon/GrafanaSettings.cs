namespace Ledger.App.Daemon;

/// <summary>
/// Where to post deploys and restores as Grafana annotations: Grafana's base URL, a file holding
/// a service-account token (sent as a bearer token), and optionally the dashboard they belong to
/// (none: organisation-wide annotations, shown on every dashboard that queries them).
/// </summary>
internal sealed record GrafanaSettings(Uri Url, string TokenFile, string? DashboardUid);
