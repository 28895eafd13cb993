namespace Ledger.Cli;

/// <summary>
/// The outside programs Ledger runs. Each is a name looked up on PATH unless overridden — by the
/// environment (LEDGER_PODMAN, LEDGER_NVIDIA_SMI, LEDGER_NIXOS_REBUILD, LEDGER_SYSTEMCTL) or by
/// the demo, which points them at its stand-ins.
/// </summary>
internal sealed record Programs(string Podman, string NvidiaSmi, string NixosRebuild, string Systemctl)
{
    public static Programs FromEnvironment(Func<string, string?> env) => new(
        env("LEDGER_PODMAN") is { Length: > 0 } p ? p : "podman",
        env("LEDGER_NVIDIA_SMI") is { Length: > 0 } n ? n : "nvidia-smi",
        env("LEDGER_NIXOS_REBUILD") is { Length: > 0 } r ? r : "nixos-rebuild",
        env("LEDGER_SYSTEMCTL") is { Length: > 0 } s ? s : "systemctl");

    /// <summary>Every program from one folder (the demo's stand-ins).</summary>
    public static Programs In(string folder) => new(
        Path.Combine(folder, "podman"),
        Path.Combine(folder, "nvidia-smi"),
        Path.Combine(folder, "nixos-rebuild"),
        "systemctl");
}
