using Ledger.Capture.Files;

namespace Ledger.App.Demo;

/// <summary>
/// Faithful stand-ins for the programs the demo host "mediabox" would have: they print output in
/// the exact formats of nvidia-smi 595 (values of a real L40S capture under NVENC load), podman 4.3
/// (`ps -a --format json`) and nixos-rebuild. The demo's facts are about that fictional host, so they
/// come from these and never from the programs of the machine the demo runs on.
/// </summary>
internal static class DemoFakes
{
    public const string NvidiaSmi = """
        #!/bin/sh
        # Demo stand-in for nvidia-smi 595.80 on an NVIDIA L40S transcoding with NVENC.
        case "$*" in
          *--query-compute-apps*)
            echo "GPU-5f1c2a9e-8d4b-4c1e-9a7f-3b2d1e0c9f8a, 20037, ffmpeg, 538"
            echo "GPU-5f1c2a9e-8d4b-4c1e-9a7f-3b2d1e0c9f8a, 20038, ffmpeg, 681"
            ;;
          *--query-gpu*)
            echo "0, NVIDIA L40S, GPU-5f1c2a9e-8d4b-4c1e-9a7f-3b2d1e0c9f8a, 9, 2, 46068, 1235, 44225, 54, 110.23, 60, 0"
            ;;
          *)
            echo "NVIDIA-SMI version  : 595.80"
            ;;
        esac

        """;

    /// <summary>
    /// podman 4.3.1's output for mediabox's three containers. Which ones are down comes from
    /// state/down, which the stand-in nixos-rebuild writes when it activates a configuration
    /// (and which starts as "radarr": radarr has crashed before the demo begins).
    /// </summary>
    public const string Podman = """
        #!/bin/sh
        # Demo stand-in for podman 4.3.1: mediabox's media stack.
        here=$(dirname "$0")
        down=$(cat "$here/state/down" 2>/dev/null)
        state() { case " $down " in *" $1 "*) echo exited ;; *) echo running ;; esac; }
        status() { if [ "$(state "$1")" = running ]; then echo "Up 2 days$2"; else echo "Exited (137) 2 minutes ago"; fi; }
        code() { if [ "$(state "$1")" = running ]; then echo 0; else echo 137; fi; }
        case "$1" in
          ps)
            cat <<JSON
        [
          {"AutoRemove": false, "Command": ["/jellyfin/jellyfin"], "CreatedAt": "3 weeks ago", "Exited": false, "ExitedAt": -62135596800, "ExitCode": $(code jellyfin),
           "Id": "9c2f4d1a7b3e5f60812a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e", "Image": "docker.io/jellyfin/jellyfin:10.10.3", "ImageID": "4f1e2d3c",
           "IsInfra": false, "Labels": null, "Mounts": ["/config", "/media"], "Names": ["jellyfin"], "Namespaces": {}, "Networks": ["podman"], "Pid": 4242,
           "Pod": "", "PodName": "", "Ports": [{"host_ip": "", "container_port": 8096, "host_port": 8096, "range": 1, "protocol": "tcp"}],
           "Size": null, "StartedAt": 1795600000, "State": "$(state jellyfin)", "Status": "$(status jellyfin " (healthy)")", "Created": 1793700000},
          {"AutoRemove": false, "Command": ["/init"], "CreatedAt": "3 weeks ago", "Exited": false, "ExitedAt": -62135596800, "ExitCode": $(code sonarr),
           "Id": "1a3c5e7f9b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a", "Image": "lscr.io/linuxserver/sonarr:4.0.11", "ImageID": "7b8c9d0e",
           "IsInfra": false, "Labels": null, "Mounts": ["/config", "/tv"], "Names": ["sonarr"], "Namespaces": {}, "Networks": ["podman"], "Pid": 4310,
           "Pod": "", "PodName": "", "Ports": [{"host_ip": "", "container_port": 8989, "host_port": 8989, "range": 1, "protocol": "tcp"}],
           "Size": null, "StartedAt": 1795600020, "State": "$(state sonarr)", "Status": "$(status sonarr "")", "Created": 1793700010},
          {"AutoRemove": false, "Command": ["/init"], "CreatedAt": "3 weeks ago", "Exited": false, "ExitedAt": -62135596800, "ExitCode": $(code radarr),
           "Id": "6e8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a1a3c5e7f9b2d4f6a8c0e2b4d", "Image": "lscr.io/linuxserver/radarr:5.14.0", "ImageID": "2c3d4e5f",
           "IsInfra": false, "Labels": null, "Mounts": ["/config", "/movies"], "Names": ["radarr"], "Namespaces": {}, "Networks": ["podman"], "Pid": 4377,
           "Pod": "", "PodName": "", "Ports": [{"host_ip": "", "container_port": 7878, "host_port": 7878, "range": 1, "protocol": "tcp"}],
           "Size": null, "StartedAt": 1795769000, "State": "$(state radarr)", "Status": "$(status radarr "")", "Created": 1793700020}
        ]
        JSON
            ;;
          inspect)
            cat <<JSON
        [
          {"Id": "9c2f4d1a7b3e5f60812a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e", "Name": "jellyfin", "RestartCount": 0,
           "State": {"Status": "$(state jellyfin)", "ExitCode": $(code jellyfin), "Health": {"Status": "healthy", "FailingStreak": 0, "Log": null}}},
          {"Id": "1a3c5e7f9b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a", "Name": "sonarr", "RestartCount": 0,
           "State": {"Status": "$(state sonarr)", "ExitCode": $(code sonarr), "Health": {"Status": "", "FailingStreak": 0, "Log": null}}},
          {"Id": "6e8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a1a3c5e7f9b2d4f6a8c0e2b4d", "Name": "radarr", "RestartCount": 0,
           "State": {"Status": "$(state radarr)", "ExitCode": $(code radarr), "Health": {"Status": "", "FailingStreak": 0, "Log": null}}}
        ]
        JSON
            ;;
          *)
            echo "podman version 4.3.1"
            ;;
        esac

        """;

    /// <summary>
    /// nixos-rebuild for mediabox: "activating" a configuration restarts the containers, which
    /// all come up except radarr without its memory limit (OOM-killed) and jellyfin when its
    /// image tag is a broken release candidate; each switch makes a new generation of the demo's
    /// system profile.
    /// </summary>
    public const string NixosRebuild = """
        #!/bin/sh
        # Demo stand-in for nixos-rebuild (run in the configuration repository).
        here=$(dirname "$0")
        echo "building the system configuration..."
        down=""
        # radarr is OOM-killed until it gets its memory limit; a broken jellyfin tag never starts.
        grep -q -- '--memory=2g' modules/media/containers.nix 2>/dev/null || down="radarr"
        grep -q -- '-BROKEN' modules/media/containers.nix 2>/dev/null && down="$down jellyfin"
        mkdir -p "$here/state" "$here/profiles"
        echo "$down" > "$here/state/down"
        case "$1" in
          switch|boot)
            n=$(ls "$here/profiles" | grep -c -- '-link$')
            n=$((n + 1))
            ln -sfn "/nix/store/demo-nixos-system-mediabox-$n" "$here/profiles/system-$n-link"
            ln -sfn "system-$n-link" "$here/profiles/system"
            ;;
        esac
        echo "activating the configuration..."
        echo "setting up /etc..."
        echo "restarting the following units: podman-jellyfin.service, podman-radarr.service, podman-sonarr.service"
        exit 0

        """;

    /// <summary>
    /// nix for mediabox: <c>nix store diff-closures</c> between two generations of the demo's profile
    /// prints lines in nix's own format (the versions follow the generation numbers, so every
    /// switch has something to say).
    /// </summary>
    public const string Nix = """
        #!/bin/sh
        # Demo stand-in for nix: only "nix --extra-experimental-features nix-command store diff-closures OLD NEW".
        [ "$3 $4" = "store diff-closures" ] || { echo "demo nix: only store diff-closures" >&2; exit 1; }
        old=${5##*system-}; old=${old%-link}
        new=${6##*system-}; new=${new%-link}
        printf 'jellyfin-ffmpeg: 7.0.2-%s → 7.0.2-%s, +14.2 KiB\n' "$old" "$new"
        printf 'podman: 5.2.%s → 5.2.%s\n' "$old" "$new"
        printf 'nixos-system-mediabox: 24.11.%s → 24.11.%s\n' "$old" "$new"

        """;

    /// <summary>nixos-version for mediabox: what the running demo system reports.</summary>
    public const string NixosVersion = """
        #!/bin/sh
        # Demo stand-in for nixos-version --json.
        echo '{"nixosVersion":"24.11.20241120.demo","nixpkgsRevision":"0000000000000000000000000000000000000000"}'

        """;

    /// <summary>Writes the stand-ins into <paramref name="folder"/> (executable) and returns it.</summary>
    public static string Install(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "state"));
        var down = Path.Combine(folder, "state", "down");
        if (!File.Exists(down))
        {
            File.WriteAllText(down, "radarr\n");
        }

        foreach (var (name, script) in new[] { ("nvidia-smi", NvidiaSmi), ("podman", Podman), ("nixos-rebuild", NixosRebuild), ("nix", Nix), ("nixos-version", NixosVersion) })
        {
            ScriptFile.Write(Path.Combine(folder, name), script);
        }

        return folder;
    }
}
