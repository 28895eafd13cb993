namespace Ledger.Core.Validation;

/// <summary>The <c>kind</c> values of a checklist entry, as written in checks.json.</summary>
public static class CheckKinds
{
    public const string NixosRebuild = "nixos-rebuild";
    public const string Containers = "containers";
    public const string Gpu = "gpu";
    public const string PrometheusTargets = "prometheus-targets";
    public const string Http = "http";
    public const string Disk = "disk";
    public const string Systemd = "systemd";
    public const string DocHeaders = "doc-headers";

    public static IReadOnlyList<string> All { get; } =
        [NixosRebuild, Containers, Gpu, PrometheusTargets, Http, Disk, Systemd, DocHeaders];
}
