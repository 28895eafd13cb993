namespace Ledger.IntegrationTests.Checks;

/// <summary>A fact that needs the real Prometheus binary; skipped where it is not installed.</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (!File.Exists(PrometheusFixture.Binary))
        {
            Skip = "prometheus is not installed (CI installs Debian's prometheus)";
        }
    }
}
