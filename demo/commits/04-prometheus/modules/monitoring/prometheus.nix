# Purpose: Prometheus with node and NVIDIA GPU exporters (metrics stay on this host).
# Date: 2026-10-18
# Rollback: ledger restore --to <seq> or git revert <commit>;
#           TSDB in /var/lib/prometheus2 is left in place and is safe to delete.
{ config, lib, pkgs, ... }:

let
  nodePort = config.services.prometheus.exporters.node.port;
  gpuExporterPort = 9835;
in
{
  services.prometheus = {
    enable = true;
    listenAddress = "127.0.0.1";
    port = 9090;
    retentionTime = "30d";
    globalConfig.scrape_interval = "15s";

    exporters.node = {
      enable = true;
      listenAddress = "127.0.0.1";
      port = 9100;
      # systemd collector gives us unit state and restart counts for the podman-* units.
      enabledCollectors = [ "systemd" ];
    };

    scrapeConfigs = [
      {
        job_name = "node";
        static_configs = [ { targets = [ "127.0.0.1:${toString nodePort}" ]; } ];
      }
      {
        job_name = "nvidia_gpu";
        static_configs = [ { targets = [ "127.0.0.1:${toString gpuExporterPort}" ]; } ];
      }
    ];
  };

  # nvidia_gpu_exporter shells out to nvidia-smi, so point it at the driver we actually run.
  systemd.services.nvidia-gpu-exporter = {
    description = "Prometheus exporter for NVIDIA GPU metrics (nvidia-smi)";
    wantedBy = [ "multi-user.target" ];
    after = [ "network.target" "nvidia-persistenced.service" ];
    serviceConfig = {
      ExecStart = lib.concatStringsSep " " [
        "${pkgs.prometheus-nvidia-gpu-exporter}/bin/nvidia_gpu_exporter"
        "--web.listen-address=127.0.0.1:${toString gpuExporterPort}"
        "--nvidia-smi-command=${config.hardware.nvidia.package.bin}/bin/nvidia-smi"
      ];
      DynamicUser = true;
      Restart = "on-failure";
      RestartSec = "10s";
      ProtectSystem = "strict";
      ProtectHome = true;
      NoNewPrivileges = true;
    };
  };
}
