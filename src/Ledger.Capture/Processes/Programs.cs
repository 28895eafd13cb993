using Ledger.Capture.Gpu;

namespace Ledger.Capture.Processes;

/// <summary>
/// The outside programs Ledger runs. Each is a name looked up on PATH unless overridden — by the
/// environment (LEDGER_PODMAN, LEDGER_NVIDIA_SMI, LEDGER_NIXOS_REBUILD, LEDGER_SYSTEMCTL,
/// LEDGER_NIX_ENV, LEDGER_NIX, LEDGER_NVD, LEDGER_NIXOS_VERSION, LEDGER_SYSTEM_PROFILE) or by the demo, which points them at its stand-ins.
/// </summary>
public sealed record Programs(string Podman, string NvidiaSmi, string NixosRebuild, string Systemctl)
{
    /// <summary>nix-env, for switching to a recorded generation (LEDGER_NIX_ENV).</summary>
    public string NixEnv { get; init; } = "nix-env";

    /// <summary>nix, for <c>nix store diff-closures</c> between generations (LEDGER_NIX).</summary>
    public string Nix { get; init; } = "nix";

    /// <summary>nvd, used in place of <c>nix store diff-closures</c> when configured (LEDGER_NVD); null: not configured.</summary>
    public string? Nvd { get; init; }

    /// <summary>nixos-version, when a generation has none of its own (LEDGER_NIXOS_VERSION).</summary>
    public string NixosVersion { get; init; } = "nixos-version";

    /// <summary>The system profile link whose target names the generation (LEDGER_SYSTEM_PROFILE).</summary>
    public string SystemProfile { get; init; } = "/nix/var/nix/profiles/system";

    /// <summary>NVML first unless LEDGER_NVML_DISABLE=1 (or the demo) says otherwise, then this nvidia-smi.</summary>
    public GpuCollectorOptions GpuOptions { get; init; } = new();

    public static Programs FromEnvironment(Func<string, string?> env)
    {
        var smi = env("LEDGER_NVIDIA_SMI") is { Length: > 0 } n ? n : null;
        return new(
            env("LEDGER_PODMAN") is { Length: > 0 } p ? p : "podman",
            smi ?? "nvidia-smi",
            env("LEDGER_NIXOS_REBUILD") is { Length: > 0 } r ? r : "nixos-rebuild",
            env("LEDGER_SYSTEMCTL") is { Length: > 0 } s ? s : "systemctl")
        {
            GpuOptions = new GpuCollectorOptions { Env = env, NvidiaSmiPath = smi },
            NixEnv = env("LEDGER_NIX_ENV") is { Length: > 0 } ne ? ne : "nix-env",
            Nix = env("LEDGER_NIX") is { Length: > 0 } nx ? nx : "nix",
            Nvd = env("LEDGER_NVD") is { Length: > 0 } nvd ? nvd : null,
            NixosVersion = env("LEDGER_NIXOS_VERSION") is { Length: > 0 } nv ? nv : "nixos-version",
            SystemProfile = env("LEDGER_SYSTEM_PROFILE") is { Length: > 0 } sp ? sp : "/nix/var/nix/profiles/system",
        };
    }

    /// <summary>Every program from one folder (the demo's stand-ins).</summary>
    /// <remarks>The demo host's GPU is the stand-in nvidia-smi, never this machine's NVML.</remarks>
    public static Programs In(string folder) => new(
        Path.Combine(folder, "podman"),
        Path.Combine(folder, "nvidia-smi"),
        Path.Combine(folder, "nixos-rebuild"),
        "systemctl")
    {
        GpuOptions = new GpuCollectorOptions { Source = GpuSource.NvidiaSmi, NvidiaSmiPath = Path.Combine(folder, "nvidia-smi") },
        SystemProfile = Path.Combine(folder, "profiles", "system"),
        Nix = Path.Combine(folder, "nix"),
        NixosVersion = Path.Combine(folder, "nixos-version"),
    };
}
