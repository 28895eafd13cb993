namespace Ledger.Core.Validation;

/// <summary>Every active target of the Prometheus at <see cref="Url"/> is up.</summary>
public sealed record PrometheusTargetsCheck(string Name, TimeSpan Timeout, Uri Url)
    : CheckDefinition(Name, Timeout)
{
    public override string Kind => CheckKinds.PrometheusTargets;
}
