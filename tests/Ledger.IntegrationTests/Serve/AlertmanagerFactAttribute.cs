namespace Ledger.IntegrationTests.Serve;

/// <summary>A fact that needs the real Alertmanager binary; skipped, saying why, where it is not installed.</summary>
public sealed class AlertmanagerFactAttribute : FactAttribute
{
    public AlertmanagerFactAttribute()
    {
        if (!File.Exists(AlertmanagerProcess.Binary))
        {
            Skip = $"{AlertmanagerProcess.Binary} is not installed (CI installs Debian's prometheus-alertmanager)";
        }
    }
}
